package dev.bourse.client.rest.account;

/**
 * {@code GET /api/v5/account/config}: {@code acctLv} 1 is spot mode; {@code perm} the key's permissions
 * ({@code read_only,trade,withdraw}); {@code ip} its allowlist.
 */
public record AccountConfig(String uid, String mainUid, String acctLv, String posMode, String acctStpMode, String perm,
                            String level, String label, String ip, String kycLv) {
    public boolean canTrade() {
        return perm != null && perm.contains("trade");
    }

    public boolean canWithdraw() {
        return perm != null && perm.contains("withdraw");
    }
}
