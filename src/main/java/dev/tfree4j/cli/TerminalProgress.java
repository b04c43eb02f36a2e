package dev.tfree4j.cli;

import dev.tfree4j.convert.ConvertProgress;
import dev.tfree4j.quant.Components;

/**
 * A conversion's progress as the CLI's {@link Progress} bar, in MiB of model.safetensors written.
 * Small conversions finish in about a second, so the bar is shown only from {@link #MIN_BYTES} on.
 */
final class TerminalProgress implements ConvertProgress {
    static final long MIN_BYTES = 64L << 20;
    private Progress bar;
    private long done;

    @Override
    public void start(long totalBytes) {
        if (totalBytes >= MIN_BYTES) bar = new Progress("convert (MiB)", totalBytes >> 20, false);
    }

    @Override
    public void advance(long bytes, String tensor) {
        done += bytes;
        if (bar != null) bar.stepTo(done >> 20, " " + Components.label(tensor));
    }

    @Override
    public void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
