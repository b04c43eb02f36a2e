package dev.tfree4j;

/**
 * One attention control (AtMan steering): the attention every later word pays to a part of the
 * prompt is multiplied by {@code factor} (1 = unchanged, 0.1 = strongly suppressed, 2 = doubled;
 * see {@link ControlMode} for the exact meaning). The part is either a character span of the
 * prompt text or a range of its words.
 *
 * @param unit what {@code start} and {@code length} count
 * @param start first character (UTF-16 index into the prompt) or first word index
 * @param length number of characters or words (&gt;= 1)
 * @param factor the multiplier, finite and &gt;= 0
 */
public record AttentionControl(Unit unit, int start, int length, float factor) {
    /** What a control's start and length count. */
    public enum Unit { CHARACTERS, WORDS }

    public AttentionControl {
        if (unit == null) throw new IllegalArgumentException("attention control: unit is null");
        if (start < 0) throw new IllegalArgumentException("attention control: start must be >= 0, got " + start);
        if (length < 1) throw new IllegalArgumentException("attention control: length must be >= 1, got " + length);
        if (!(factor >= 0) || Float.isInfinite(factor)) {
            throw new IllegalArgumentException("attention control: factor must be finite and >= 0, got " + factor);
        }
    }

    /** A control over the prompt characters {@code [start, start + length)}. */
    public static AttentionControl characters(int start, int length, float factor) {
        return new AttentionControl(Unit.CHARACTERS, start, length, factor);
    }

    /** A control over the prompt words {@code [first, first + count)} (as {@code TFreeModel.encode} splits them). */
    public static AttentionControl words(int first, int count, float factor) {
        return new AttentionControl(Unit.WORDS, first, count, factor);
    }
}
