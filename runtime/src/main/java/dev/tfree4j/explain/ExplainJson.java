package dev.tfree4j.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An explanation as JSON, shaped like the hosted {@code /explain} API's response (docs/spec/atman-dtm.md §A.7):
 * {@code {"explanations": [{"target": ..., "items": [{"start", "length", "score", ...}]}]}}, with
 * character spans (UTF-16 indices) into the prompt for prompt items and into the target text for
 * target items. Each item also carries its {@code type} ("prompt" or "target"), its {@code text},
 * {@code baseline_logprob} and {@code perturbed_logprob} (score before post-processing =
 * baseline − perturbed). The request's settings, the words and the cost come alongside.
 */
public final class ExplainJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExplainJson() {}

    /** The JSON text of a result. */
    public static String write(ExplainResult r) {
        try {
            return MAPPER.writeValueAsString(toMap(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the explanation as JSON", e);
        }
    }

    /** The result as nested maps and lists (what {@link #write} serialises). */
    public static Map<String, Object> toMap(ExplainResult r) {
        ExplainRequest q = r.request();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("prompt", q.prompt());
        o.put("target", r.target());
        o.put("prompt_words", r.promptWords());
        o.put("target_words", r.targetWords());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("control_factor", q.factor());
        settings.put("control_log_additive", q.mode() == dev.tfree4j.ControlMode.LOG_ADD);
        settings.put("contextual_control_threshold", q.conceptualThreshold());
        settings.put("conceptual_scaled", q.conceptualScaled());
        settings.put("prompt_granularity", r.granularity().toString());
        settings.put("target_granularity", lower(q.targetGranularity()));
        settings.put("postprocessing", lower(q.postprocessing()));
        settings.put("normalize", q.normalize());
        settings.put("layers", q.layers() == null ? null : Arrays.stream(q.layers()).boxed().toList());
        settings.put("score", lower(q.score()));
        o.put("settings", settings);
        List<Object> explanations = new ArrayList<>();
        for (Explanation e : r.explanations()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("target", e.target());
            x.put("target_start", e.targetStart());
            x.put("target_length", e.targetLength());
            List<Object> items = new ArrayList<>();
            for (ExplainItem i : e.items()) {
                Map<String, Object> it = new LinkedHashMap<>();
                it.put("type", lower(i.source()));
                it.put("start", i.start());
                it.put("length", i.length());
                it.put("text", i.text());
                it.put("score", i.score());
                it.put("baseline_logprob", i.baselineLogProb());
                it.put("perturbed_logprob", i.perturbedLogProb());
                it.put("positions", Arrays.stream(r.units().get(i.unit()).positions()).boxed().toList());
                items.add(it);
            }
            x.put("items", items);
            explanations.add(x);
        }
        o.put("explanations", explanations);
        ExplainResult.Stats s = r.stats();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("positions", s.positions());
        stats.put("units", s.units());
        stats.put("suppressed_forwards", s.forwards());
        stats.put("native_calls", s.batches());
        stats.put("positions_recomputed", s.positionsRecomputed());
        stats.put("positions_without_prefix_reuse", s.positionsFullRecompute());
        stats.put("candidates", s.candidates());
        stats.put("baseline_ms", s.baselineNanos() / 1e6);
        stats.put("suppressed_ms", s.suppressedNanos() / 1e6);
        stats.put("scoring_ms", s.scoringNanos() / 1e6);
        o.put("stats", stats);
        return o;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
