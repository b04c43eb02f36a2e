package dev.tfree4j.divergence;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Per-prompt divergences and their aggregate; {@link #toJson()} is the CLI's {@code --json} shape. */
public record DivergenceReport(List<PromptDivergence> prompts, Aggregate aggregate, float nearTieEpsilon) {
    public DivergenceReport {
        prompts = List.copyOf(prompts);
    }

    public ObjectNode toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode list = root.putArray("prompts");
        for (PromptDivergence p : prompts) {
            ObjectNode o = list.addObject();
            o.put("prompt", p.prompt());
            o.put("words", p.length());
            o.put("fdt", p.fdt());
            o.put("sdt", p.sdt());
            ArrayNode d = o.putArray("divergent");
            p.divergent().forEach(d::add);
            ArrayNode t = o.putArray("near_tie");
            p.nearTie().forEach(t::add);
            o.put("same_top1", p.sameTop1());
            o.put("log_prob_sum", p.logProbSum());
        }
        Aggregate a = aggregate;
        ObjectNode ag = root.putObject("aggregate");
        ag.put("prompts", a.prompts());
        ag.put("words", a.words());
        ag.put("fdt_mean", a.fdtMean());
        ag.put("fdt_median", a.fdtMedian());
        ag.put("fdt_p25", a.fdtP25());
        ag.put("fdt_p75", a.fdtP75());
        ag.put("sdt_mean", a.sdtMean());
        ag.put("sdt_median", a.sdtMedian());
        ag.put("sdt_p25", a.sdtP25());
        ag.put("sdt_p75", a.sdtP75());
        ag.put("fdt_norm", a.fdtNorm());
        ag.put("sdt_norm", a.sdtNorm());
        ObjectNode share = ag.putObject("share_fdt_at_least");
        a.shareFdtAtLeast().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> share.put(String.valueOf(e.getKey()), e.getValue()));
        ag.put("divergences", a.divergences());
        ag.put("near_tie_divergences", a.nearTieDivergences());
        ag.put("near_tie_epsilon", nearTieEpsilon);
        ag.put("perplexity", a.perplexity());
        ag.put("mean_bce", a.meanBce());
        return root;
    }
}
