package dev.tfree4j.hat;

/**
 * A teacher-forced HAT pass (docs/spec/hat.md §2): row-major float32 arrays.
 *
 * @param bytes          the input bytes [T]
 * @param wordStarts     the first byte of each word [N]
 * @param logits         [T, 256]; row t predicts byte t + 1
 * @param encoderOut     [T, De] the encoder outputs (no final norm)
 * @param wordEmbeddings [N, Db] the encoder connector's outputs
 * @param backboneOut    [N, Db]
 * @param predictive     [N, Db]: first_word_embedding, then the backbone outputs shifted by one word
 * @param decoderOut     [T, Dd] the decoder's residual stream before the final norm
 */
public record HatForward(byte[] bytes, long[] wordStarts, float[] logits, float[] encoderOut, float[] wordEmbeddings,
                         float[] backboneOut, float[] predictive, float[] decoderOut) {
    /** Number of bytes T. */
    public int length() {
        return bytes.length;
    }

    /** Row t of the logits (a copy). */
    public float[] logitsRow(int t) {
        return java.util.Arrays.copyOfRange(logits, t * HatModel.VOCAB, (t + 1) * HatModel.VOCAB);
    }
}
