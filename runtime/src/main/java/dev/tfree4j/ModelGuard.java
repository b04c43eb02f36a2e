package dev.tfree4j;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Lets many generations use a model's native objects while {@code close()} may come at any time:
 * each native step runs under the read lock after checking the model is open; close takes the
 * write lock, so it waits for steps in flight and later steps fail with a clear exception
 * instead of touching freed memory.
 */
final class ModelGuard {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    <T> T call(Supplier<T> step) {
        lock.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("the model was closed");
            return step.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    void run(Runnable step) {
        call(() -> {
            step.run();
            return null;
        });
    }

    /** Marks the model closed and runs {@code release} once no step is in flight. Idempotent. */
    void close(Runnable release) {
        lock.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            release.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    boolean isClosed() {
        return closed;
    }
}
