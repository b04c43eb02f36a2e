package dev.tfree4j;

import java.time.Duration;

/**
 * The ways a running generation is asked to stop besides its listener: a deadline
 * ({@link GenerateOptions#timeout()}) and an interrupt of the generating thread. Checked between
 * words, where stopping leaves the model and its KV cache in a clean state; a forward pass
 * already running finishes first (one word's worth of work).
 */
final class Cancellation {
    private final long deadline;
    private final boolean hasDeadline;

    Cancellation(long startNanos, Duration timeout) {
        this.hasDeadline = timeout != null;
        // Saturate: a timeout of years must not overflow into the past.
        long nanos = timeout == null ? 0 : timeout.compareTo(Duration.ofDays(365 * 100)) > 0 ? Long.MAX_VALUE / 4 : timeout.toNanos();
        this.deadline = startNanos + nanos;
    }

    /** The reason to stop now, or null to go on. Leaves the thread's interrupt status set. */
    GenerationResult.StopReason check() {
        if (Thread.currentThread().isInterrupted()) return GenerationResult.StopReason.INTERRUPTED;
        if (hasDeadline && System.nanoTime() - deadline >= 0) return GenerationResult.StopReason.TIMEOUT;
        return null;
    }
}
