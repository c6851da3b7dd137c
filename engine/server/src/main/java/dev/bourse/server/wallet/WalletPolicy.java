package dev.bourse.server.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bourse.asset.Asset;
import dev.bourse.fixed.Decimals;
import dev.bourse.server.http.Json;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the wallet allows for one asset (the operator's WalletPolicy resource). Amounts are in units of
 * 10^-scale of the asset; {@code cooldownMillis} is how long withdrawals to a newly whitelisted address
 * are refused. {@code generation} is the resource's metadata.generation, {@code version} counts the
 * changes applied here. An asset without a policy allows neither deposits nor withdrawals.
 */
public record WalletPolicy(String asset, boolean depositsEnabled, boolean withdrawalsEnabled, int confirmations,
                           long minWithdrawal, long maxWithdrawal, long dailyLimit, long reviewThreshold,
                           boolean whitelistRequired, long cooldownMillis, long withdrawalFee, long generation,
                           long version, long updatedAt) {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)?");
    static final int MAX_CONFIRMATIONS = 10_000;

    public WalletPolicy {
        Objects.requireNonNull(asset, "asset");
        if (confirmations < 0 || confirmations > MAX_CONFIRMATIONS) {
            throw new IllegalArgumentException("confirmations must be 0.." + MAX_CONFIRMATIONS);
        }
        if (minWithdrawal < 0 || maxWithdrawal <= 0 || dailyLimit <= 0 || reviewThreshold < 0 || withdrawalFee < 0
                || cooldownMillis < 0) {
            throw new IllegalArgumentException("amounts must not be negative; maxWithdrawal and dailyLimit must be positive");
        }
        if (minWithdrawal > maxWithdrawal) {
            throw new IllegalArgumentException("minWithdrawal must not exceed maxWithdrawal");
        }
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative");
        }
    }

    /** The same settings (everything an operator sets, not generation/version/time). */
    public boolean sameSettings(WalletPolicy o) {
        return depositsEnabled == o.depositsEnabled && withdrawalsEnabled == o.withdrawalsEnabled
                && confirmations == o.confirmations && minWithdrawal == o.minWithdrawal && maxWithdrawal == o.maxWithdrawal
                && dailyLimit == o.dailyLimit && reviewThreshold == o.reviewThreshold
                && whitelistRequired == o.whitelistRequired && cooldownMillis == o.cooldownMillis
                && withdrawalFee == o.withdrawalFee;
    }

    public WalletPolicy withVersion(long generation, long version, long updatedAt) {
        return new WalletPolicy(asset, depositsEnabled, withdrawalsEnabled, confirmations, minWithdrawal, maxWithdrawal,
                dailyLimit, reviewThreshold, whitelistRequired, cooldownMillis, withdrawalFee, generation, version, updatedAt);
    }

    /** The API form: amounts as decimal strings at the asset's scale. */
    public ObjectNode toJson(int scale) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("asset", asset);
        n.put("depositsEnabled", depositsEnabled);
        n.put("withdrawalsEnabled", withdrawalsEnabled);
        n.put("confirmations", confirmations);
        n.put("minWithdrawal", Decimals.format(minWithdrawal, scale));
        n.put("maxWithdrawal", Decimals.format(maxWithdrawal, scale));
        n.put("dailyLimit", Decimals.format(dailyLimit, scale));
        n.put("reviewThreshold", Decimals.format(reviewThreshold, scale));
        n.put("whitelistRequired", whitelistRequired);
        n.put("cooldownSeconds", cooldownMillis / 1000);
        n.put("withdrawalFee", Decimals.format(withdrawalFee, scale));
        n.put("generation", generation);
        n.put("version", version);
        n.put("updatedAt", Long.toString(updatedAt));
        return n;
    }

    /**
     * Parses a desired policy: either the flat form of {@link #toJson} or the operator's resource
     * ({@code {"metadata":{"generation":N},"spec":{...}}}). {@code cooldown} may be given as
     * {@code cooldownSeconds} (integer) or {@code cooldown} ("90s", "30m", "24h", "1d", plain seconds).
     * Every amount must be exact at the asset's scale.
     *
     * @throws IllegalArgumentException naming the first bad field
     */
    public static WalletPolicy parse(Asset asset, JsonNode body) {
        JsonNode spec = body.has("spec") && body.get("spec").isObject() ? body.get("spec") : body;
        long generation = body.has("spec") ? body.path("metadata").path("generation").asLong(-1)
                : -1;
        if (generation < 0) {
            generation = integer(spec.has("generation") ? spec : body, "generation", true);
        }
        String named = text(spec, "asset");
        if (named != null && !named.equals(asset.code())) {
            throw new IllegalArgumentException("asset " + named + " does not match the path's " + asset.code());
        }
        int s = asset.scale();
        long cooldown;
        if (spec.has("cooldownSeconds")) {
            cooldown = Math.multiplyExact(integer(spec, "cooldownSeconds", true), 1000L);
        } else if (spec.has("cooldown")) {
            cooldown = duration(text(spec, "cooldown"));
        } else {
            cooldown = 0;
        }
        return new WalletPolicy(asset.code(), bool(spec, "depositsEnabled"), bool(spec, "withdrawalsEnabled"),
                (int) integerMax(spec, "confirmations", MAX_CONFIRMATIONS), amount(spec, "minWithdrawal", s, "0"),
                amount(spec, "maxWithdrawal", s, null), amount(spec, "dailyLimit", s, null),
                amount(spec, "reviewThreshold", s, null), spec.path("whitelistRequired").asBoolean(false), cooldown,
                amount(spec, "withdrawalFee", s, "0"), generation, 0, 0);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    private static boolean bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException(field + " must be true or false");
        }
        return v.booleanValue();
    }

    private static long integer(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + " is required");
            }
            return 0;
        }
        if (v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 0) {
            return v.longValue();
        }
        if (v.isTextual() && v.asText().matches("\\d{1,18}")) {
            return Long.parseLong(v.asText());
        }
        throw new IllegalArgumentException(field + " must be a non-negative integer");
    }

    private static long integerMax(JsonNode n, String field, long max) {
        long v = integer(n, field, true);
        if (v > max) {
            throw new IllegalArgumentException(field + " must be at most " + max);
        }
        return v;
    }

    private static long amount(JsonNode n, String field, int scale, String dflt) {
        String v = text(n, field);
        if (v == null) {
            if (dflt == null) {
                throw new IllegalArgumentException(field + " is required");
            }
            v = dflt;
        }
        try {
            long units = Decimals.parse(v, scale);
            if (units < 0) {
                throw new IllegalArgumentException(field + " must not be negative");
            }
            return units;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be a decimal with at most " + scale + " decimal places: " + v);
        }
    }

    static long duration(String text) {
        Matcher m = text == null ? null : DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("cooldown must look like 90s, 30m, 24h, 1d or plain seconds: " + text);
        }
        long v = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> v;
            case "s" -> v * 1000L;
            case "m" -> v * 60_000L;
            case "h" -> v * 3_600_000L;
            default -> v * 86_400_000L;
        };
    }
}
