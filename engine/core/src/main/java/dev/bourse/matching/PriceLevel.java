package dev.bourse.matching;

/** One price on one side of the book: a FIFO of orders (time priority) with aggregates for depth. */
final class PriceLevel {
    long price;
    long totalSize;
    int orderCount;
    Order head;
    Order tail;
    PriceLevel nextFree; // free-list link while pooled

    void append(Order o) {
        o.level = this;
        o.prev = tail;
        o.next = null;
        if (tail == null) {
            head = o;
        } else {
            tail.next = o;
        }
        tail = o;
        totalSize += o.remainingSize;
        orderCount++;
    }

    void unlink(Order o) {
        if (o.prev == null) {
            head = o.next;
        } else {
            o.prev.next = o.next;
        }
        if (o.next == null) {
            tail = o.prev;
        } else {
            o.next.prev = o.prev;
        }
        o.prev = null;
        o.next = null;
        o.level = null;
        totalSize -= o.remainingSize;
        orderCount--;
    }

    boolean isEmpty() {
        return head == null;
    }
}
