package dev.bourse.server.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The IP addresses an API key may be used from (OKX: at most 20, comma-separated; empty = any).
 * Addresses are IPv4 or IPv6 literals, never host names (no DNS lookups, ever), compared as
 * addresses so that {@code ::ffff:1.2.3.4}, {@code 1.2.3.4} and differently written IPv6 forms match.
 */
public final class IpAllowlist {
    public static final int MAX_ADDRESSES = 20;
    public static final IpAllowlist ANY = new IpAllowlist(List.of(), Set.of());
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private final List<String> written;
    private final Set<InetAddress> addresses;

    private IpAllowlist(List<String> written, Set<InetAddress> addresses) {
        this.written = List.copyOf(written);
        this.addresses = Set.copyOf(addresses);
    }

    /** Parses OKX's comma-separated form; null or blank = any address. */
    public static IpAllowlist parse(String csv) {
        if (csv == null || csv.isBlank()) {
            return ANY;
        }
        List<String> written = new ArrayList<>();
        Set<InetAddress> addresses = new LinkedHashSet<>();
        for (String part : csv.split(",", -1)) {
            String ip = part.trim();
            InetAddress a = literal(ip);
            if (a == null) {
                throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + ip);
            }
            if (addresses.add(a)) {
                written.add(a.getHostAddress());
            }
        }
        if (addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("at most " + MAX_ADDRESSES + " IP addresses per API key");
        }
        return new IpAllowlist(written, addresses);
    }

    /** The address of an IPv4/IPv6 literal, or null; never resolves a name. */
    static InetAddress literal(String ip) {
        if (ip == null || ip.isEmpty() || ip.length() > 45) {
            return null;
        }
        boolean v4 = IPV4.matcher(ip).matches();
        boolean v6 = !v4 && ip.indexOf(':') >= 0 && IPV6_CHARS.matcher(ip).matches();
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(ip); // a literal (checked above): parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean isAny() {
        return addresses.isEmpty();
    }

    /** True when the list is empty or holds {@code remoteIp}; an unparsable remote address never matches. */
    public boolean allows(String remoteIp) {
        if (addresses.isEmpty()) {
            return true;
        }
        String ip = remoteIp;
        if (ip != null && ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        if (ip != null && ip.indexOf('%') >= 0) { // IPv6 scope id, e.g. fe80::1%eth0
            ip = ip.substring(0, ip.indexOf('%'));
        }
        InetAddress a = literal(ip);
        return a != null && addresses.contains(a);
    }

    /** OKX's form: comma-separated, "" when any address is allowed. */
    public String csv() {
        return String.join(",", written);
    }

    @Override
    public String toString() {
        return csv();
    }
}
