package dev.bourse.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged engine jar (dev profile, embedded H2 in a temporary directory) told to listen on a port another
 * process holds: it must stop what it started and exit non-zero with one line naming the address, instead of
 * logging the bind failure and going on as a ready shard with no listener.
 */
class PortInUseIT {

    @Test
    @Timeout(60)
    void aTakenPortStopsTheEngineWithOneLineNamingIt(@TempDir Path dir) throws Exception {
        String jar = System.getProperty("bourse.server.jar");
        assertTrue(jar != null && Files.isRegularFile(Paths.get(jar)), "bourse.server.jar must name the packaged jar: " + jar);
        Path log = dir.resolve("engine.log");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", jar, "run")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            String path = pb.environment().get("PATH");
            pb.environment().clear(); // nothing from the build's environment (a PORT, a DB_URL) may decide the outcome
            if (path != null) {
                pb.environment().put("PATH", path);
            }
            pb.environment().putAll(Map.of("BOURSE_PROFILE", "dev", "HOST", "127.0.0.1", "PORT", Integer.toString(port),
                    "DEMO_DATA", "false"));
            Process engine = pb.start();
            try {
                // the listener is opened a few seconds in (after the schema and the shard's state): bounded well below
                // what a hung engine would take to be noticed
                boolean exited = engine.waitFor(20, TimeUnit.SECONDS);
                String output = Files.readString(log, StandardCharsets.UTF_8);
                assertTrue(exited, "the engine kept running without its port:\n" + output);
                assertEquals(1, engine.exitValue(), output);
                List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
                String prefix = "engine failed to start: cannot listen on 127.0.0.1:" + port + ": ";
                assertTrue(lines.getLast().startsWith(prefix) && lines.getLast().length() > prefix.length(),
                        "the last line says which address and why:\n" + output);
                assertFalse(output.contains("Bourse engine ready"), output);
                assertTrue(output.contains("stopping Bourse engine"), "what was started is stopped:\n" + output);
            } finally {
                engine.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        // the next engine on this database must not wait for a lease the failed one left behind
        String url = "jdbc:h2:file:" + dir.resolve("data").resolve("bourse") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM shard_leases WHERE expires_at_ms > ?")) {
            ps.setLong(1, System.currentTimeMillis());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(0, rs.getLong(1), "no shard lease is held after the failed start");
            }
        }
    }
}
