package dev.bourse.operator.harness;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Deletes a test's Redis keys (by prefix) with a few RESP commands: the operator has no Redis client otherwise. */
final class RedisKeys {
    private RedisKeys() {
    }

    /** Deletes every key starting with {@code prefix}; returns how many. */
    static int deleteByPrefix(String host, int port, String prefix) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            String cursor = "0";
            int deleted = 0;
            do {
                send(out, "SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000");
                @SuppressWarnings("unchecked")
                List<Object> reply = (List<Object>) read(in);
                cursor = (String) reply.get(0);
                @SuppressWarnings("unchecked")
                List<Object> keys = (List<Object>) reply.get(1);
                if (!keys.isEmpty()) {
                    List<String> cmd = new ArrayList<>();
                    cmd.add("DEL");
                    keys.forEach(k -> cmd.add((String) k));
                    send(out, cmd.toArray(String[]::new));
                    deleted += ((Long) read(in)).intValue();
                }
            } while (!"0".equals(cursor));
            return deleted;
        }
    }

    private static void send(OutputStream out, String... args) throws IOException {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @SuppressWarnings("unchecked")
    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> throw new IOException("redis: " + line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                byte[] b = in.readNBytes(n);
                in.readNBytes(2);
                yield new String(b, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(read(in));
                }
                yield items;
            }
            default -> throw new IOException("redis: unexpected reply type " + type);
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("redis closed the connection");
            }
            b.append((char) c);
        }
        in.read();
        return b.toString();
    }
}
