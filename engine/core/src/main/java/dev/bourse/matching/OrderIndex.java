package dev.bourse.matching;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * Live orders by id. A shard hands out order ids sequentially, so the ids of live orders cluster in a
 * recent range: those map straight to a slot of fixed-size pages (one array read, no hashing, no
 * probing). Pages are kept in a ring covering a window of page numbers; a page whose orders are all
 * gone is recycled, and the window's start follows the oldest page that still has live orders. An
 * order that falls more than {@link #MAX_PAGES} pages behind the newest id (a very old resting order)
 * moves to a hash map, so memory stays bounded however long the shard runs. Orders another shard
 * created (a symbol that moved here) have ids from that shard's range, far from this window: they are
 * kept in the hash map from the start ({@link #putForeign}).
 */
final class OrderIndex {
    private static final int PAGE_BITS = 10;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE_SIZE - 1;
    static final int MAX_PAGES = 1 << 14; // window of 16 M ids

    private Order[][] pages = new Order[64][];
    private int[] liveInPage = new int[64];
    private long firstPage; // window: firstPage <= page < endPage
    private long endPage;
    private final Long2ObjectHashMap<Order> old = new Long2ObjectHashMap<>();
    private final Order[][] sparePages = new Order[16][]; // recycled empty pages: no garbage in steady state
    private int spareCount;
    private int size;

    int size() {
        return size;
    }

    Order get(long id) {
        long p = id >>> PAGE_BITS;
        if (p >= firstPage && p < endPage) {
            Order[] page = pages[(int) p & (pages.length - 1)];
            Order o = page == null ? null : page[(int) id & PAGE_MASK];
            return o != null || old.isEmpty() ? o : old.get(id);
        }
        return id > 0 ? old.get(id) : null;
    }

    /** Indexes an order whose id is not from this shard's counter (see the class comment). */
    void putForeign(Order o) {
        old.put(o.orderId, o);
        size++;
    }

    void put(Order o) {
        long id = o.orderId;
        long p = id >>> PAGE_BITS;
        if (firstPage == endPage) { // empty window: start it here
            firstPage = p;
            endPage = p;
        }
        if (p < firstPage) {
            old.put(id, o);
            size++;
            return;
        }
        while (p >= endPage) {
            if (endPage - firstPage == pages.length) {
                if (pages.length < MAX_PAGES) {
                    grow();
                } else {
                    evictFirstPage();
                }
            }
            endPage++;
        }
        int slot = (int) p & (pages.length - 1);
        Order[] page = pages[slot];
        if (page == null) {
            page = spareCount > 0 ? sparePages[--spareCount] : new Order[PAGE_SIZE];
            sparePages[spareCount] = null;
            pages[slot] = page;
        }
        page[(int) id & PAGE_MASK] = o;
        liveInPage[slot]++;
        size++;
    }

    void remove(long id) {
        long p = id >>> PAGE_BITS;
        if (p >= firstPage && p < endPage) {
            int slot = (int) p & (pages.length - 1);
            Order[] page = pages[slot];
            if (page == null || page[(int) id & PAGE_MASK] == null) {
                if (old.remove(id) != null) { // a foreign id that happens to fall inside the window
                    size--;
                }
                return;
            }
            page[(int) id & PAGE_MASK] = null;
            size--;
            if (--liveInPage[slot] == 0 && p != endPage - 1) {
                release(slot);
                while (firstPage < endPage - 1 && pages[(int) firstPage & (pages.length - 1)] == null) {
                    firstPage++;
                }
            }
        } else if (old.remove(id) != null) {
            size--;
        }
    }

    private void release(int slot) {
        if (spareCount < sparePages.length) {
            sparePages[spareCount++] = pages[slot]; // all slots are null again: reusable as is
        }
        pages[slot] = null;
    }

    /** Moves the oldest page's orders to the hash map and shrinks the window by one page. */
    private void evictFirstPage() {
        int slot = (int) firstPage & (pages.length - 1);
        Order[] page = pages[slot];
        if (page != null) {
            for (int i = 0; i < PAGE_SIZE; i++) {
                Order o = page[i];
                if (o != null) {
                    old.put(o.orderId, o);
                    page[i] = null;
                }
            }
            liveInPage[slot] = 0;
            release(slot);
        }
        firstPage++;
    }

    private void grow() {
        int n = pages.length * 2;
        Order[][] newPages = new Order[n][];
        int[] newLive = new int[n];
        for (long p = firstPage; p < endPage; p++) {
            int from = (int) p & (pages.length - 1);
            int to = (int) p & (n - 1);
            newPages[to] = pages[from];
            newLive[to] = liveInPage[from];
        }
        pages = newPages;
        liveInPage = newLive;
    }
}
