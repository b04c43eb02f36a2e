package dev.tfree4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The steps of {@link BatchGenerator}: the forwards of all running generations run as one
 * {@link Session#forwardBatch} call per step, so each weight is read once per step for all of
 * them. Each generation keeps its own loop on its own thread; when it needs a forward (its
 * prompt, or its last word) it hands the forward here and waits. One step runs at a time. The
 * next starts when every running generation has handed in a forward, or {@link #STEP_WAIT_NANOS}
 * after the later of the first hand-in and the end of the previous step (a generation busy
 * sending its word to a slow client joins the step after). The thread that finds the step ready
 * runs it for all. A new request's prompt joins the next step as one more item, so running
 * streams keep going while it is read. Which forwards share a step changes nothing in their
 * results: the native batch gives each item the bits of its own forward.
 */
final class StepBatcher {
    /** How long due forwards wait for the other running generations before their step runs anyway. */
    static final long STEP_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** Upper bounds of the batch size histogram's buckets (the last one is +Inf). */
    static final int[] SIZE_BUCKETS = {1, 2, 4, 8, 16, 32, 64};

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Generations between {@link #join()} and {@link #leave()}. */
    private int running;
    /** Forwards handed in for the next step, and when the first of them came. */
    private List<Due> due = new ArrayList<>();
    private long firstDueNanos;
    /** Whether a step is running, and when the last one ended. */
    private boolean stepRunning;
    private long lastStepEndNanos;
    /** Statistics: steps run, forwards in them, steps per size bucket (non-cumulative). */
    private long steps;
    private long forwards;
    private final long[] sizeCounts = new long[SIZE_BUCKETS.length + 1];

    /** One forward waiting for its step. */
    private static final class Due {
        final Session.BatchItem item;
        boolean done;
        RuntimeException failure;

        Due(Session.BatchItem item) {
            this.item = item;
        }
    }

    /** A generation starts: steps wait for its forwards too. */
    void join() {
        lock.lock();
        try {
            running++;
        } finally {
            lock.unlock();
        }
    }

    /** A generation ended: steps no longer wait for it. */
    void leave() {
        lock.lock();
        try {
            running--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code item} in the next step and returns when that step is done (or throws its failure). */
    void forward(Session.BatchItem item) {
        Due mine = new Due(item);
        List<Due> step;
        boolean interrupted = false;
        lock.lock();
        try {
            if (due.isEmpty()) firstDueNanos = System.nanoTime();
            due.add(mine);
            changed.signalAll();
            for (;;) {
                if (mine.done) {
                    if (mine.failure != null) throw mine.failure;
                    return;
                }
                long wait = due.contains(mine) ? nanosUntilStep() : Long.MAX_VALUE;
                if (wait <= 0) break;
                try {
                    if (wait == Long.MAX_VALUE) changed.await();
                    else changed.awaitNanos(wait);
                } catch (InterruptedException e) {
                    // The generation checks its interrupt between words; a forward handed in is
                    // not withdrawn (another thread may be running it).
                    interrupted = true;
                }
            }
            step = due;
            due = new ArrayList<>();
            stepRunning = true;
            steps++;
            forwards += step.size();
            int bucket = 0;
            while (bucket < SIZE_BUCKETS.length && step.size() > SIZE_BUCKETS[bucket]) bucket++;
            sizeCounts[bucket]++;
        } finally {
            lock.unlock();
            if (interrupted) Thread.currentThread().interrupt();
        }
        run(step);
    }

    /** How long the due forwards wait before their step runs: 0 = now, MAX_VALUE = until a step ends. */
    private long nanosUntilStep() {
        if (stepRunning) return Long.MAX_VALUE;
        if (due.size() >= running) return 0;
        return Math.max(firstDueNanos, lastStepEndNanos) + STEP_WAIT_NANOS - System.nanoTime();
    }

    /** Runs one step outside the lock and wakes the threads whose forwards it ran. */
    private void run(List<Due> step) {
        RuntimeException failure = null;
        try {
            Session.forwardBatch(step.stream().map(d -> d.item).toList());
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new IllegalStateException("a batched forward failed: " + e, e);
        }
        lock.lock();
        try {
            for (Due d : step) {
                d.done = true;
                d.failure = failure;
            }
            stepRunning = false;
            lastStepEndNanos = System.nanoTime();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (failure != null) throw failure;
    }

    BatchGenerator.Stats stats() {
        lock.lock();
        try {
            return new BatchGenerator.Stats(running, steps, forwards, SIZE_BUCKETS.clone(), sizeCounts.clone());
        } finally {
            lock.unlock();
        }
    }
}
