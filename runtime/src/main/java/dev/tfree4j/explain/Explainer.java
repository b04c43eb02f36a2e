package dev.tfree4j.explain;

import dev.tfree4j.internal.ModelInternals;
import dev.tfree4j.Session;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.engine.NativeModel;
import dev.tfree4j.model.LoadedModel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * AtMan (atman-dtm Part A) on a T-FREE model: one unsuppressed teacher-forced forward pass over
 * prompt + target, then one pass per suppression unit with the attention paid to the unit's
 * positions scaled by the request's factor in every head of the chosen layers.
 *
 * <p>Positions before a unit's first suppressed position compute exactly what the baseline did
 * (the model is causal and controls act on keys), so each suppressed pass starts from a copy of
 * the baseline's KV cache up to that position and recomputes only the rest (prefix reuse).
 * Every target row is scored on its own (never the reference's multi-row echo path).
 * Memory: the baseline's cache and logits plus, per batch item, one cache and its logits.
 */
public final class Explainer {
    private Explainer() {}

    public static ExplainResult explain(TFreeModel tfree, ExplainRequest request) {
        LoadedModel model = ModelInternals.loaded(tfree);
        NativeModel nm = model.nativeModel();
        ExplainSequence seq = ExplainSequence.of(model.tokenizer(), request, model.config().sequenceLength());
        PromptGranularity granularity = request.promptGranularity().kind() == PromptGranularity.Kind.AUTO
                ? PromptUnits.resolveAuto(request.prompt(), seq.prompt().spans(), request.promptGranularity().autoTarget())
                : request.promptGranularity();
        List<SuppressionUnit> units = new ArrayList<>(PromptUnits.split(request.prompt(), seq.prompt().spans(), granularity));
        int promptWords = seq.promptWords();
        for (int t = 0; t + 1 < seq.targetCount(); t++) {
            var span = seq.targetSpans().get(t);
            units.add(new SuppressionUnit(SuppressionUnit.Source.TARGET, new int[] {promptWords + t}, span.start(), span.length()));
        }
        MemorySegment layerMask = null;
        int n = seq.length();
        int hidden = nm.shape().hiddenSize();
        int vocab = nm.shape().vocabSize();
        int targets = seq.targetCount();

        try (Arena arena = Arena.ofConfined();
             TargetScorer scorer = new TargetScorer(model, model.context(), request.prompt(), seq.targetWords(), request.score(),
                     request.wordEdgeWeight());
             Session base = tfree.newSession(n)) {
            if (request.layers() != null) layerMask = layerMask(arena, request.layers(), nm.shape().layers());
            long start = System.nanoTime();
            MemorySegment embeddings = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * hidden);
            model.embed(seq.input(), embeddings);
            // Logits of the target rows only (at least two rows: a one-row head matmul would take
            // the decode kernel, whose rounding differs from the suppressed passes' multi-row one).
            int rows = logitRows(n, seq.row(0));
            MemorySegment logits = base.forwardEmbedded(embeddings, seq.input().words(), rows);
            double[] baseline = new double[targets];
            int[] logitRow = new int[targets];
            for (int t = 0; t < targets; t++) logitRow[t] = seq.row(t) - (n - rows);
            scorer.values(logits, logitRow, 0, baseline);
            long baselineNanos = System.nanoTime() - start;

            ConceptualSuppression similarity = request.conceptualThreshold() == null ? null
                    : ConceptualSuppression.of(embeddings.toArray(ValueLayout.JAVA_FLOAT), n, hidden);
            List<SuppressedRuns.Job> jobs = new ArrayList<>(units.size());
            for (SuppressionUnit unit : units) {
                float[] factors = similarity == null
                        ? ConceptualSuppression.plainFactors(n, unit.positions(), request.factor())
                        : similarity.factors(unit.positions(), request.factor(), request.conceptualThreshold(),
                                request.conceptualScaled());
                jobs.add(new SuppressedRuns.Job(factors));
            }
            SuppressedRuns runs = new SuppressedRuns(tfree, base, embeddings, seq, scorer, baseline, request.mode(), layerMask,
                    request.maxBatch());
            double[][] perturbed = runs.run(jobs);
            List<Explanation> explanations = Explanations.build(request.prompt(), seq, units, baseline, perturbed, request);
            ExplainResult.Stats stats = new ExplainResult.Stats(n, units.size(), runs.forwards(), runs.batches(),
                    runs.positionsRecomputed(), scorer.candidateCount(), baselineNanos, runs.forwardNanos(), runs.scoringNanos());
            return new ExplainResult(request, granularity, seq.prompt().words(), seq.targetWords(), seq.targetText(),
                    units, explanations, stats);
        }
    }

    /**
     * How many last rows of an n-row sequence a pass needs logits of when the first row it needs
     * is {@code firstNeeded}: n − firstNeeded, but at least 2 (when n allows) so that the head's
     * matmul always runs on the multi-row kernel.
     */
    static int logitRows(int n, int firstNeeded) {
        return Math.min(n, Math.max(2, n - firstNeeded));
    }

    static MemorySegment row(MemorySegment logits, int row, int vocab) {
        return logits.asSlice((long) row * vocab * Float.BYTES, (long) vocab * Float.BYTES);
    }

    private static MemorySegment layerMask(Arena arena, int[] layers, int nLayers) {
        byte[] mask = new byte[nLayers];
        for (int l : layers) {
            if (l < 0 || l >= nLayers) {
                throw new IllegalArgumentException("explain: layer " + l + " does not exist (the model has layers 0.."
                        + (nLayers - 1) + ")");
            }
            if (mask[l] != 0) throw new IllegalArgumentException("explain: layer " + l + " is listed twice");
            mask[l] = 1;
        }
        return arena.allocateFrom(ValueLayout.JAVA_BYTE, mask);
    }
}
