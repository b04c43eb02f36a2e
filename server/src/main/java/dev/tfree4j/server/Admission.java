package dev.tfree4j.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the work in the server: at most {@code maxBatch} requests generate at once, at most
 * {@code maxQueue} more wait for a turn, and anything beyond is answered 429 at once, so a
 * burst never grows memory or latency without limit.
 */
final class Admission {
    /** What a client is told to wait before retrying a refused request. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final Semaphore slots;
    private final int maxQueue;
    private final AtomicInteger waiting = new AtomicInteger();

    Admission(int maxBatch, int maxQueue) {
        this.slots = new Semaphore(maxBatch, true);
        this.maxQueue = maxQueue;
    }

    /** A generation slot, held until closed. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes a slot, waiting in the queue if all are busy.
     *
     * @throws ApiException 429 when the queue is full, 503 when interrupted (shutdown) while waiting
     */
    Slot enter() {
        if (!freeSlotNow()) {
            if (waiting.incrementAndGet() > maxQueue) {
                waiting.decrementAndGet();
                throw new ApiException(429, "rate_limit_exceeded", null, "queue_full",
                        "the server is busy: all generation slots are taken and the queue is full", RETRY_AFTER_SECONDS);
            }
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw shuttingDown();
            } finally {
                waiting.decrementAndGet();
            }
        }
        return slots::release;
    }

    /** Takes a free slot if there is one and nobody waits for it (a plain tryAcquire would jump the queue). */
    private boolean freeSlotNow() {
        try {
            return slots.tryAcquire(0, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw shuttingDown();
        }
    }

    /** Requests waiting for a slot now. */
    int queueLength() {
        return waiting.get();
    }

    static ApiException shuttingDown() {
        return new ApiException(503, "server_error", null, "shutting_down", "the server is shutting down",
                RETRY_AFTER_SECONDS);
    }
}
