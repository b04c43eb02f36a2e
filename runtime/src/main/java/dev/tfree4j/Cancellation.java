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

    /** Timeouts beyond this are "never" (Duration.toNanos overflows past 292 years). */
    private static final Duration NEVER = Duration.ofDays(365L * 100);

    Cancellation(long startNanos, Duration timeout) {
        this.hasDeadline = timeout != null && timeout.compareTo(NEVER) < 0;
        this.deadline = hasDeadline ? startNanos + timeout.toNanos() : 0;
    }

    /** The reason to stop now, or null to go on. Leaves the thread's interrupt status set. */
    GenerationResult.StopReason check() {
        if (Thread.currentThread().isInterrupted()) return GenerationResult.StopReason.INTERRUPTED;
        if (hasDeadline && System.nanoTime() - deadline >= 0) return GenerationResult.StopReason.TIMEOUT;
        return null;
    }
}
