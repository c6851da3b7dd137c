package dev.bourse.operator.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths of the repository the tests run in (Maven runs them from operator/). */
final class RepoFiles {
    private static final Path ROOT = findRoot();

    private RepoFiles() {
    }

    static Path root() {
        return ROOT;
    }

    static Path chart() {
        return ROOT.resolve("charts/bourse");
    }

    static Path resolve(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Regular files directly in {@code dir} whose name ends with {@code suffix}, sorted; empty if there is no dir. */
    static List<Path> list(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix)).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("charts/bourse/Chart.yaml")) && Files.isDirectory(d.resolve("ops"))) {
                return d;
            }
        }
        throw new IllegalStateException("no charts/bourse/Chart.yaml above " + dir);
    }
}
