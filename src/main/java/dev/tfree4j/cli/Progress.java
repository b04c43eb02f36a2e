package dev.tfree4j.cli;

import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar with ETA on standard error, for commands that run many evaluation passes. */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    Progress(String task, long total, boolean quiet) {
        this.bar = quiet ? null : new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setMaxRenderedLength(100)
                .showSpeed()
                .setEtaFunction(s -> s.getCurrent() == 0 ? java.util.Optional.empty()
                        : java.util.Optional.of(Duration.ofMillis((long) (s.getElapsedAfterStart().toMillis()
                        * (double) (s.getMax() - s.getCurrent()) / s.getCurrent()))))
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    void stepTo(long done, String message) {
        if (bar == null) return;
        bar.stepTo(done);
        if (message != null) bar.setExtraMessage(message);
    }

    /** As {@link #stepTo}, for a task whose total becomes known on the way. */
    void stepTo(long done, long total, String message) {
        if (bar == null) return;
        bar.maxHint(total);
        stepTo(done, message);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
