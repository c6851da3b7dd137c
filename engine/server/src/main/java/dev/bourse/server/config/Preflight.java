package dev.bourse.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The engine's start-up check: the engine config and every other settings section read from the
 * environment (API-key auth, rate limits, WebSocket limits, ...) are validated together before anything
 * starts, so an operator sees every problem at once, one line each, instead of fixing them one restart
 * at a time. {@code Main} prints the {@link ConfigException} and exits with code 2.
 */
public final class Preflight {

    /** A settings section: reads the environment and throws {@link ConfigException} (or IllegalArgumentException). */
    @FunctionalInterface
    public interface Section {
        void check(Function<String, String> env);
    }

    private Preflight() {
    }

    /** {@link EngineConfig#fromEnvironment()} plus {@code sections}, all problems in one exception. */
    public static EngineConfig fromEnvironment(Section... sections) {
        return check(EngineConfig.environment(), EngineConfig.DEV_SECRETS, sections);
    }

    static EngineConfig check(Function<String, String> env, Path devSecrets, Section... sections) {
        List<String> problems = new ArrayList<>();
        EngineConfig config = null;
        try {
            config = EngineConfig.from(DevSecrets.apply(env, devSecrets), true, devSecrets);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        for (Section section : sections) {
            try {
                section.check(env);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            } catch (IllegalArgumentException e) {
                problems.add(String.valueOf(e.getMessage()).replace('\n', ' '));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }
}
