package dev.bourse.server.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed admin-token checks per remote address. An address with {@code maxFailures} failures inside the
 * last {@code windowMs} is throttled until the oldest of those failures leaves the window; while
 * throttled its requests are not checked at all, so a guesser learns nothing, not even a right guess.
 *
 * <p>Each address keeps only its last {@code maxFailures} failure times, and at most {@code maxTrackedIps}
 * addresses are kept (the least recently seen is dropped first): memory is bounded whatever arrives.
 */
final class AuthFailureThrottle {
    private final int maxFailures;
    private final long windowMs;
    private final Map<String, Failures> byIp;

    AuthFailureThrottle(AdminGateSettings settings) {
        this.maxFailures = settings.maxFailures();
        this.windowMs = settings.failureWindowMs();
        int cap = settings.maxTrackedIps();
        this.byIp = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > cap;
            }
        };
    }

    /** The last failure times of one address, as a ring. */
    private static final class Failures {
        final long[] at;
        int next;
        int count;

        Failures(int max) {
            at = new long[max];
        }

        long newest() {
            return at[(next + at.length - 1) % at.length];
        }

        long oldest() {
            return count < at.length ? at[0] : at[next];
        }
    }

    /** True while {@code ip} must be refused without looking at its token. */
    synchronized boolean throttled(String ip, long now) {
        Failures f = byIp.get(ip);
        if (f == null) {
            return false;
        }
        if (now - f.newest() >= windowMs) {
            byIp.remove(ip); // every failure it had is out of the window
            return false;
        }
        return f.count == maxFailures && now - f.oldest() < windowMs;
    }

    /** Records a failed token check from {@code ip}. */
    synchronized void failed(String ip, long now) {
        Failures f = byIp.computeIfAbsent(ip, k -> new Failures(maxFailures));
        f.at[f.next] = now;
        f.next = (f.next + 1) % maxFailures;
        f.count = Math.min(f.count + 1, maxFailures);
    }

    synchronized int trackedIps() {
        return byIp.size();
    }
}
