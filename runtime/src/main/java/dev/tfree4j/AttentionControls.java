package dev.tfree4j;

import dev.tfree4j.text.Word;
import java.util.Arrays;
import java.util.List;

/**
 * A set of attention controls applied while generating (steering): in the prompt's forward pass
 * and in every decode step, the attention paid to each controlled prompt word is scaled as
 * {@link ControlMode} says. Generated words are never controlled.
 *
 * <p>Character controls that cover only part of a word are interpolated ({@link Overlap#PARTIAL},
 * the hosted API's default): covering r of a word's characters gives 1 + (factor − 1)·r, so 2.0
 * over 2 of 4 characters gives 1.5. {@link Overlap#COMPLETE} applies the full factor to every word
 * a control touches. Several controls on one word multiply. Zero-length words ({@code <|no_ws|>})
 * are touched by no character control.
 *
 * @param controls the controls
 * @param mode how factors act on attention scores
 * @param overlap how character controls treat partly covered words
 */
public record AttentionControls(List<AttentionControl> controls, ControlMode mode, Overlap overlap) {
    /** How a character control acts on a word it covers only partly. */
    public enum Overlap { PARTIAL, COMPLETE }

    public AttentionControls {
        if (controls == null) throw new IllegalArgumentException("attention controls: the list is null");
        for (AttentionControl c : controls) {
            if (c == null) throw new IllegalArgumentException("attention controls: a control is null");
        }
        controls = List.copyOf(controls);
        if (mode == null) throw new IllegalArgumentException("attention controls: mode is null");
        if (overlap == null) throw new IllegalArgumentException("attention controls: overlap is null");
    }

    /** Controls in the default mode ({@link ControlMode#LOG_ADD}) with partial overlap. */
    public static AttentionControls of(AttentionControl... controls) {
        return new AttentionControls(List.of(controls), ControlMode.LOG_ADD, Overlap.PARTIAL);
    }

    public AttentionControls withMode(ControlMode m) {
        return new AttentionControls(controls, m, overlap);
    }

    public AttentionControls withOverlap(Overlap o) {
        return new AttentionControls(controls, mode, o);
    }

    /**
     * The factor of every prompt word, given the words' spans in the prompt text of
     * {@code textLength} characters. A control beyond the prompt is an
     * {@link IllegalArgumentException}.
     */
    public float[] factors(List<Word> words, int textLength) {
        float[] m = new float[words.size()];
        Arrays.fill(m, 1f);
        for (AttentionControl c : controls) {
            if (c.unit() == AttentionControl.Unit.WORDS) {
                if ((long) c.start() + c.length() > words.size()) {
                    throw new IllegalArgumentException("attention control over words [" + c.start() + ", "
                            + ((long) c.start() + c.length()) + ") lies beyond the prompt's " + words.size() + " words");
                }
                for (int i = c.start(); i < c.start() + c.length(); i++) m[i] *= c.factor();
                continue;
            }
            if ((long) c.start() + c.length() > textLength) {
                throw new IllegalArgumentException("attention control over characters [" + c.start() + ", "
                        + ((long) c.start() + c.length()) + ") lies beyond the prompt's " + textLength + " characters");
            }
            int end = c.start() + c.length();
            for (int i = 0; i < words.size(); i++) {
                Word w = words.get(i);
                int covered = Math.min(end, w.end()) - Math.max(c.start(), w.start());
                if (w.length() == 0 || covered <= 0) continue;
                double r = (double) covered / w.length();
                m[i] *= overlap == Overlap.COMPLETE ? c.factor() : (float) (1 + (c.factor() - 1.0) * r);
            }
        }
        return m;
    }
}
