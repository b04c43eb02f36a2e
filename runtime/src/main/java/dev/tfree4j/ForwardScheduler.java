package dev.tfree4j;

/**
 * Decides how a session's forwards run: a server's continuous batching gathers the forwards of
 * many sessions that are due at the same time and runs them as one {@link Session#forwardBatch}
 * call, so each weight is read once per step for all of them. Set on a generation with
 * {@link TFreeModel#generate(String, GenerateOptions, WordListener, ForwardScheduler)}.
 */
@FunctionalInterface
public interface ForwardScheduler {
    /**
     * Runs {@code item}'s forward, alone or in one {@link Session#forwardBatch} call with other
     * sessions' items, and returns when it is done (or throws what the forward threw).
     */
    void forward(Session.BatchItem item);
}
