package dev.tfree4j.cli;

import dev.tfree4j.convert.ConvertProgress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A conversion's progress as a bar on stderr (me.tongfei:progressbar), in MiB written. Small
 * conversions finish in about a second, so the bar is shown only from {@link #MIN_BYTES} on.
 */
final class TerminalProgress implements ConvertProgress {
    static final long MIN_BYTES = 64L << 20;
    private ProgressBar bar;

    @Override
    public void start(long totalBytes) {
        if (totalBytes < MIN_BYTES) return;
        bar = new ProgressBarBuilder()
                .setTaskName("convert")
                .setInitialMax(totalBytes)
                .setUnit(" MiB", 1 << 20)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .build();
    }

    @Override
    public void advance(long bytes, String tensor) {
        if (bar != null) bar.stepBy(bytes);
    }

    @Override
    public void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
