package dev.tfree4j.server;

import dev.tfree4j.ForwardScheduler;
import dev.tfree4j.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Continuous batching for one model: the forwards of all running generations that are due
 * together run as one {@link Session#forwardBatch} call (one step), so each weight is read once
 * per step for all of them. Each generation keeps its own loop on its own thread; when it needs
 * a forward (its prompt, or its last word) it hands the forward here and waits. A step starts
 * when every running generation has handed one in, or when {@link #STEP_WAIT_NANOS} passed since
 * the first one did (a generation busy sending its word to a slow client joins the next step);
 * the thread whose forward completes the step runs it for all. A new request's prompt joins the
 * next step as one more item, so running streams do not wait for a separate prefill.
 */
final class StepBatcher implements ForwardScheduler {
    /** How long due forwards wait for the other running generations before their step runs anyway. */
    static final long STEP_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Generations between {@link #join()} and {@link #leave()}. */
    private int running;
    /** Forwards handed in for the next step, and when the first of them came. */
    private List<Due> due = new ArrayList<>();
    private long firstDueNanos;
    /** Statistics for /metrics: steps run and items in them. */
    private long steps;
    private long stepItems;

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

    @Override
    public void forward(Session.BatchItem item) {
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
                if (due.contains(mine)) {
                    if (stepReady()) break;
                    try {
                        changed.awaitNanos(firstDueNanos + STEP_WAIT_NANOS - System.nanoTime());
                    } catch (InterruptedException e) {
                        // The generation checks its interrupt between words; a forward handed in is not withdrawn.
                        interrupted = true;
                    }
                } else {
                    changed.awaitUninterruptibly(); // another thread runs the step that holds this forward
                }
            }
            step = due;
            due = new ArrayList<>();
            steps++;
            stepItems += step.size();
        } finally {
            lock.unlock();
            if (interrupted) Thread.currentThread().interrupt();
        }
        run(step);
    }

    private boolean stepReady() {
        return due.size() >= running || System.nanoTime() - firstDueNanos >= STEP_WAIT_NANOS;
    }

    /** Runs one step outside the lock and wakes the threads whose forwards it ran. */
    private void run(List<Due> step) {
        RuntimeException failure = null;
        try {
            Session.forwardBatch(step.stream().map(d -> d.item).toList());
        } catch (RuntimeException e) {
            failure = e;
        }
        lock.lock();
        try {
            for (Due d : step) {
                d.done = true;
                d.failure = failure;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (failure != null) throw failure;
    }

    /** Steps run so far and the forwards they held (their mean is the mean batch size). */
    long[] stepsAndItems() {
        lock.lock();
        try {
            return new long[] {steps, stepItems};
        } finally {
            lock.unlock();
        }
    }
}
