package dev.tfree4j.convert;

/** Told how far a conversion is, in bytes of model.safetensors written (for a progress bar). */
public interface ConvertProgress {
    /** Reports nothing. */
    ConvertProgress NONE = new ConvertProgress() {
        @Override
        public void start(long totalBytes) {}

        @Override
        public void advance(long bytes, String tensor) {}

        @Override
        public void finish() {}
    };

    /** Called once, before the first tensor, with the size of the data to write. */
    void start(long totalBytes);

    /** {@code bytes} more were written; {@code tensor} is the weight just written. */
    void advance(long bytes, String tensor);

    /** All weights are written (also called when the conversion fails part way). */
    void finish();
}
