package dev.bourse.server.control;

/**
 * What the active switches say about money entering and leaving the exchange. The wallet asks before
 * every withdrawal step and before crediting a deposit; the switch board answers from the switches in
 * force (global halt-withdrawals, user and asset freezes). A non-null answer is the reason, shown to
 * operators and, shortened, to the trader.
 */
public interface FundsControls {
    /** Everything allowed: for tests and tools that run without switches. */
    FundsControls OPEN = new FundsControls() {
        @Override
        public String withdrawalBlock(long userId, String asset) {
            return null;
        }

        @Override
        public String depositBlock(long userId, String asset) {
            return null;
        }
    };

    /** Why a withdrawal of {@code asset} by {@code userId} must not be requested or paid out now, or null. */
    String withdrawalBlock(long userId, String asset);

    /** Why a deposit of {@code asset} to {@code userId} must not be credited now (it waits), or null. */
    String depositBlock(long userId, String asset);
}
