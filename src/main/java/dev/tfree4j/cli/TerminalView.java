package dev.tfree4j.cli;

import dev.tfree4j.Json;
import dev.tfree4j.explain.ExplainItem;
import dev.tfree4j.explain.ExplainResult;
import dev.tfree4j.explain.Explanation;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * An explanation on the terminal: the prompt (and the target) with each unit's background
 * coloured by its score (24-bit ANSI colours: red supported the target, blue argued against it,
 * stronger = larger |score|), then the top units. Without colours, a plain table.
 */
final class TerminalView {
    private static final String RESET = "\u001b[0m";

    private TerminalView() {}

    static void print(PrintWriter out, ExplainResult r, boolean colour) {
        for (Explanation e : r.explanations()) {
            out.println("target: " + Json.write(e.target()));
            if (colour) heatmap(out, r, e);
            table(out, e);
            out.println();
        }
        ExplainResult.Stats s = r.stats();
        out.printf(Locale.ROOT, "%d units (%s), %d suppressed passes over %d positions (%d recomputed with prefix reuse), %.0f ms%n",
                s.units(), r.granularity(), s.forwards(), s.positions(), s.positionsRecomputed(), s.totalNanos() / 1e6);
    }

    private static void heatmap(PrintWriter out, ExplainResult r, Explanation e) {
        double max = maxAbs(e);
        StringBuilder sb = new StringBuilder();
        String prompt = r.request().prompt();
        int at = 0;
        for (ExplainItem i : e.promptItems()) {
            sb.append(prompt, at, i.start()).append(colour(i.score(), max)).append(i.text()).append(RESET);
            at = i.start() + i.length();
        }
        sb.append(prompt.substring(at)).append("\u001b[2m│\u001b[22m");
        String target = r.target();
        at = 0;
        for (ExplainItem i : e.targetItems()) {
            sb.append(target, at, i.start()).append(colour(i.score(), max)).append(i.text()).append(RESET);
            at = i.start() + i.length();
        }
        sb.append("\u001b[4m").append(target.substring(at)).append(RESET);
        out.println(sb);
        out.println("\u001b[48;2;235;90;90m supported \u001b[0m \u001b[48;2;90;130;235m argued against \u001b[0m (max |score| "
                + String.format(Locale.ROOT, "%.4g", max) + ")");
    }

    /** The units by score, largest first (at most 12). */
    private static void table(PrintWriter out, Explanation e) {
        var items = e.items().stream().sorted((a, b) -> Double.compare(b.score(), a.score())).limit(12).toList();
        for (ExplainItem i : items) {
            out.printf(Locale.ROOT, "  %+10.5f  %s%s%n", i.score(), Json.write(i.text()),
                    i.source() == dev.tfree4j.explain.SuppressionUnit.Source.TARGET ? " (target)" : "");
        }
        if (e.items().size() > items.size()) out.println("  ... " + (e.items().size() - items.size()) + " more (--json for all)");
    }

    private static double maxAbs(Explanation e) {
        double m = 0;
        for (ExplainItem i : e.items()) m = Math.max(m, Math.abs(i.score()));
        return m;
    }

    /** 24-bit background: white → red (positive) or white → blue (negative) by |score| / max. */
    private static String colour(double score, double max) {
        double a = max > 0 ? Math.min(1, Math.abs(score) / max) : 0;
        int fade = (int) Math.round(255 - 170 * a);
        int r = score >= 0 ? 255 : fade, g = fade, b = score >= 0 ? fade : 255;
        return "\u001b[38;2;0;0;0m\u001b[48;2;" + r + ";" + g + ";" + b + "m";
    }
}
