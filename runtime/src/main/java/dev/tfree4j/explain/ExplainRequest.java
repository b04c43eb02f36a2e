package dev.tfree4j.explain;

import dev.tfree4j.ControlMode;
import java.util.Arrays;
import java.util.List;

/**
 * What to explain and how (docs/spec/atman-dtm.md §A.7). Build with {@link #builder(String)}; the defaults
 * are the hosted API's: factor 0.1, {@link ControlMode#LOG_ADD}, no conceptual suppression,
 * {@link PromptGranularity#AUTO} (about 30 units), {@link TargetGranularity#COMPLETE}, no
 * post-processing, no normalisation, all layers, {@link TargetScore#DICT_LOGPROB}.
 *
 * @param prompt the prompt text
 * @param targetWords the target as words, e.g. {@code GenerationResult.tokens()} of an earlier
 *     generation (the safe form); null when {@code targetText} is given
 * @param targetText the target as text: prompt + target is split jointly and the words after
 *     the prompt's are the target, which requires the prompt's own split to be a prefix of the
 *     joint split (it is not when the seam changes the words, e.g. a prompt ending in a space);
 *     null when {@code targetWords} is given
 * @param factor the attention multiplier m of a suppressed unit (0.1: attention to it is cut to
 *     a tenth; the paper's "f = 0.9"); finite and &gt;= 0
 * @param mode how the factor acts on attention scores
 * @param conceptualThreshold κ of conceptual suppression (null = off): every position whose input
 *     embedding has cosine similarity &gt;= κ with a suppressed word is suppressed too, with factor
 *     1 − (1 − m)·cos (or m, without {@code conceptualScaled}); see
 *     {@link ConceptualSuppression#CALIBRATED_THRESHOLD}
 * @param conceptualScaled scale a neighbour's factor by its similarity (the reference's default)
 * @param promptGranularity how the prompt is cut into units
 * @param targetGranularity one explanation or one per target word
 * @param postprocessing applied to each score
 * @param normalize afterwards map each explanation's scores to [0, 1] (min → 0, max → 1; all 0
 *     when they are all equal)
 * @param layers the layers whose attention is controlled (null = all)
 * @param score what is measured per target word
 * @param maxBatch suppressed forward passes run together in one native call (&gt;= 1)
 * @param wordEdgeWeight λ of the word scores (docs/spec/tfree.md §6.2; 1 as in generation)
 */
public record ExplainRequest(String prompt, List<String> targetWords, String targetText, float factor, ControlMode mode,
                             Double conceptualThreshold, boolean conceptualScaled, PromptGranularity promptGranularity,
                             TargetGranularity targetGranularity, PostProcessing postprocessing, boolean normalize,
                             int[] layers, TargetScore score, int maxBatch, float wordEdgeWeight) {
    public static final float DEFAULT_FACTOR = 0.1f;
    public static final int DEFAULT_MAX_BATCH = 8;

    public ExplainRequest {
        if (prompt == null) throw new IllegalArgumentException("explain: prompt is null");
        if ((targetWords == null) == (targetText == null)) {
            throw new IllegalArgumentException("explain: give the target either as words or as text (exactly one)");
        }
        if (targetWords != null) {
            if (targetWords.isEmpty()) throw new IllegalArgumentException("explain: the target has no words");
            for (int i = 0; i < targetWords.size(); i++) {
                String w = targetWords.get(i);
                if (w == null || w.isEmpty()) throw new IllegalArgumentException("explain: target word " + i + " is empty");
            }
            targetWords = List.copyOf(targetWords);
        }
        if (targetText != null && targetText.isEmpty()) throw new IllegalArgumentException("explain: the target text is empty");
        if (!(factor >= 0 && factor <= MAX_FACTOR)) {
            throw new IllegalArgumentException("explain: factor must be in [0, " + (long) MAX_FACTOR
                    + "] (1 = no change, < 1 suppresses, > 1 amplifies), got " + factor);
        }
        if (mode == null) throw new IllegalArgumentException("explain: mode is null");
        if (conceptualThreshold != null && !(conceptualThreshold >= 0 && Double.isFinite(conceptualThreshold))) {
            throw new IllegalArgumentException("explain: the conceptual suppression threshold must be finite and >= 0"
                    + " (null = off; > 1 = no neighbours), got " + conceptualThreshold);
        }
        if (promptGranularity == null) throw new IllegalArgumentException("explain: prompt granularity is null");
        if (targetGranularity == null) throw new IllegalArgumentException("explain: target granularity is null");
        if (postprocessing == null) throw new IllegalArgumentException("explain: post-processing is null");
        if (score == null) throw new IllegalArgumentException("explain: score is null");
        if (maxBatch < 1) throw new IllegalArgumentException("explain: maxBatch must be >= 1, got " + maxBatch);
        if (!(wordEdgeWeight >= 0) || Float.isInfinite(wordEdgeWeight)) {
            throw new IllegalArgumentException("explain: wordEdgeWeight must be finite and >= 0, got " + wordEdgeWeight);
        }
        if (layers != null) {
            if (layers.length == 0) throw new IllegalArgumentException("explain: the layer list is empty (null = all layers)");
            layers = layers.clone();
        }
    }

    @Override
    public int[] layers() {
        return layers == null ? null : layers.clone();
    }

    /**
     * The largest factor accepted. In MULT mode a score difference is multiplied by the factor,
     * and past ~1e36 that overflows float to infinity and the softmax to NaN; a million already
     * gives a unit all the attention, so nothing larger means anything.
     */
    public static final float MAX_FACTOR = 1e6f;

    public static Builder builder(String prompt) {
        return new Builder(prompt);
    }

    public Builder toBuilder() {
        Builder b = new Builder(prompt);
        b.targetWords = targetWords;
        b.targetText = targetText;
        b.factor = factor;
        b.mode = mode;
        b.conceptualThreshold = conceptualThreshold;
        b.conceptualScaled = conceptualScaled;
        b.promptGranularity = promptGranularity;
        b.targetGranularity = targetGranularity;
        b.postprocessing = postprocessing;
        b.normalize = normalize;
        b.layers = layers;
        b.score = score;
        b.maxBatch = maxBatch;
        b.wordEdgeWeight = wordEdgeWeight;
        return b;
    }

    @Override
    public String toString() {
        return "ExplainRequest[factor=" + factor + ", mode=" + mode + ", conceptual=" + conceptualThreshold
                + ", granularity=" + promptGranularity + ", target=" + targetGranularity + ", post=" + postprocessing
                + ", normalize=" + normalize + ", layers=" + Arrays.toString(layers) + ", score=" + score
                + ", maxBatch=" + maxBatch + "]";
    }

    /** Fluent builder with the hosted API's defaults. */
    public static final class Builder {
        private final String prompt;
        private List<String> targetWords;
        private String targetText;
        private float factor = DEFAULT_FACTOR;
        private ControlMode mode = ControlMode.LOG_ADD;
        private Double conceptualThreshold;
        private boolean conceptualScaled = true;
        private PromptGranularity promptGranularity = PromptGranularity.AUTO;
        private TargetGranularity targetGranularity = TargetGranularity.COMPLETE;
        private PostProcessing postprocessing = PostProcessing.NONE;
        private boolean normalize;
        private int[] layers;
        private TargetScore score = TargetScore.DICT_LOGPROB;
        private int maxBatch = DEFAULT_MAX_BATCH;
        private float wordEdgeWeight = 1f;

        private Builder(String prompt) {
            this.prompt = prompt;
        }

        /** The target as the words of an earlier generation (replaces a target text). */
        public Builder targetWords(List<String> v) { targetWords = v; targetText = null; return this; }
        /** The target as text, split jointly with the prompt (replaces target words). */
        public Builder target(String v) { targetText = v; targetWords = null; return this; }
        public Builder factor(float v) { factor = v; return this; }
        public Builder mode(ControlMode v) { mode = v; return this; }
        public Builder conceptualThreshold(Double v) { conceptualThreshold = v; return this; }
        public Builder conceptualScaled(boolean v) { conceptualScaled = v; return this; }
        public Builder promptGranularity(PromptGranularity v) { promptGranularity = v; return this; }
        public Builder targetGranularity(TargetGranularity v) { targetGranularity = v; return this; }
        public Builder postprocessing(PostProcessing v) { postprocessing = v; return this; }
        public Builder normalize(boolean v) { normalize = v; return this; }
        public Builder layers(int... v) { layers = v; return this; }
        public Builder score(TargetScore v) { score = v; return this; }
        public Builder maxBatch(int v) { maxBatch = v; return this; }
        public Builder wordEdgeWeight(float v) { wordEdgeWeight = v; return this; }

        public ExplainRequest build() {
            return new ExplainRequest(prompt, targetWords, targetText, factor, mode, conceptualThreshold, conceptualScaled,
                    promptGranularity, targetGranularity, postprocessing, normalize, layers, score, maxBatch, wordEdgeWeight);
        }
    }
}
