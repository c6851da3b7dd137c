package dev.bourse.bench;

/**
 * A pre-generated command stream in primitive arrays, replayed identically into both engines.
 *
 * <p>Commands {@code [0, measureFrom)} build the initial books (passive GTC places only) and are loaded
 * before any measurement; commands {@code [measureFrom, length)} are the measured mix. Prices are Bourse
 * prices and sizes Bourse sizes (see {@link MarketSpec}); order ids are the ids the Bourse core assigns
 * (sequential over accepted places), which exchange-core receives as its client-supplied order ids.
 */
public final class CommandStream {
    public static final byte PLACE = 0;
    public static final byte CANCEL = 1;
    /** Amend of the price only (exchange-core: move): loses priority and may trade. */
    public static final byte MOVE = 2;

    public static final byte BUY = 0;
    public static final byte SELL = 1;

    public static final byte GTC = 0;
    public static final byte IOC = 1;

    public final MarketSpec spec;
    /**
     * Measured commands whose kind the generator changed to hold a book at its target size (or because no
     * valid command of the drawn kind existed, e.g. an IOC against an empty side).
     */
    public long substituted;
    public final long seed;
    public final int length;
    public final int measureFrom;

    public final byte[] type;
    public final int[] user;
    public final int[] symbol;
    public final byte[] side;
    public final byte[] orderType;
    /** Limit price of a place (0 otherwise). */
    public final long[] price;
    /** Size of a place (0 otherwise). */
    public final long[] size;
    /** Order id: the id a place gets, the target of a cancel or move. */
    public final long[] orderId;
    /** New price of a move (0 otherwise). */
    public final long[] newPrice;
    /** New size of a move: always 0 (unchanged), since exchange-core's move cannot change the size. */
    public final long[] newSize;
    /** Whether the command produced at least one fill when the generator ran it through the Bourse core. */
    public final boolean[] traded;
    /** Fills (maker orders matched) each command produced in the Bourse core. */
    public final int[] fills;

    /**
     * The same commands packed as {@value #WORDS} longs each, in the order the runners read them: a
     * header ({@link #header}), the order id, the price (a place's limit or a move's new price) and the
     * size (a place's size or a move's new size). One sequential record per command, like a sequencer's
     * ring buffer, instead of ten arrays to stream from; filled by {@link #pack()}.
     */
    public long[] packed;
    public static final int WORDS = 4;

    CommandStream(MarketSpec spec, long seed, int length, int measureFrom) {
        this.spec = spec;
        this.seed = seed;
        this.length = length;
        this.measureFrom = measureFrom;
        type = new byte[length];
        user = new int[length];
        symbol = new int[length];
        side = new byte[length];
        orderType = new byte[length];
        price = new long[length];
        size = new long[length];
        orderId = new long[length];
        newPrice = new long[length];
        newSize = new long[length];
        traded = new boolean[length];
        fills = new int[length];
    }

    /** type | side << 8 | orderType << 16 | symbol << 24 (16 bits) | user << 40 (24 bits). */
    static long header(byte type, byte side, byte orderType, int symbol, int user) {
        if (symbol < 0 || symbol > 0xFFFF || user < 0 || user > 0xFF_FFFF) {
            throw new IllegalArgumentException("symbol or user out of the packed range: " + symbol + ", " + user);
        }
        return (type & 0xFFL) | (side & 0xFFL) << 8 | (orderType & 0xFFL) << 16 | (long) symbol << 24 | (long) user << 40;
    }

    public static int type(long header) {
        return (int) header & 0xFF;
    }

    public static int side(long header) {
        return (int) (header >>> 8) & 0xFF;
    }

    public static int orderType(long header) {
        return (int) (header >>> 16) & 0xFF;
    }

    public static int symbol(long header) {
        return (int) (header >>> 24) & 0xFFFF;
    }

    public static int user(long header) {
        return (int) (header >>> 40);
    }

    /** Builds {@link #packed} from the arrays. */
    void pack() {
        long[] p = new long[length * WORDS];
        for (int i = 0; i < length; i++) {
            int b = i * WORDS;
            p[b] = header(type[i], side[i], orderType[i], symbol[i], user[i]);
            p[b + 1] = orderId[i];
            p[b + 2] = type[i] == PLACE ? price[i] : newPrice[i];
            p[b + 3] = type[i] == PLACE ? size[i] : newSize[i];
        }
        packed = p;
    }

    /** Number of measured commands. */
    public int measuredCount() {
        return length - measureFrom;
    }

    /** Counts of each kind over {@code [from, to)}. */
    public Stats stats(int from, int to) {
        Stats st = new Stats();
        for (int i = from; i < to; i++) {
            switch (type[i]) {
                case PLACE -> {
                    if (orderType[i] == GTC) {
                        st.gtc++;
                    } else {
                        st.ioc++;
                    }
                }
                case CANCEL -> st.cancel++;
                case MOVE -> st.move++;
                default -> throw new IllegalStateException("bad type " + type[i]);
            }
            if (traded[i]) {
                st.trading++;
            }
            st.fills += fills[i];
            st.total++;
        }
        return st;
    }

    public Stats measuredStats() {
        return stats(measureFrom, length);
    }

    /** Command counts of a stream section. */
    public static final class Stats {
        public long total;
        public long gtc;
        public long ioc;
        public long cancel;
        public long move;
        /** Commands that produced at least one fill. */
        public long trading;
        /** Fills (maker matches). */
        public long fills;

        public double pct(long n) {
            return total == 0 ? 0 : 100.0 * n / total;
        }

        @Override
        public String toString() {
            return String.format("%,d commands: GTC %.2f%%, IOC %.2f%%, cancel %.2f%%, move %.2f%%; trading %.2f%% (%,d fills)",
                    total, pct(gtc), pct(ioc), pct(cancel), pct(move), pct(trading), fills);
        }
    }
}
