package dev.tfree4j.explain;

import java.util.Locale;

/**
 * A self-contained HTML page of an explanation (no scripts, fonts or images from elsewhere): per
 * explanation, the prompt as a heatmap (each unit's background coloured by its score: red
 * supported the target, blue argued against it, stronger = larger |score|; hover for the
 * number), the target after it, and a table of the scores with the baseline and suppressed
 * log-probs.
 */
public final class ExplainHtml {
    private ExplainHtml() {}

    public static String render(ExplainResult r) {
        ExplainRequest q = r.request();
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.append("<title>tfree4j explanation</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>Why the model wrote <q>").append(esc(r.target())).append("</q></h1>\n");
        sb.append("<p class=\"settings\">AtMan: attention to each ").append(esc(r.granularity().toString()))
                .append(" unit multiplied by ").append(q.factor()).append(" (")
                .append(q.mode() == dev.tfree4j.ControlMode.LOG_ADD ? "log-additive" : "multiplicative")
                .append(q.conceptualThreshold() == null ? "" : ", conceptual suppression κ = " + q.conceptualThreshold())
                .append(q.layers() == null ? ", all layers" : ", layers " + java.util.Arrays.toString(q.layers()))
                .append("); score = ").append(q.score().name().toLowerCase(Locale.ROOT))
                .append(" without − with suppression")
                .append(q.postprocessing() == PostProcessing.NONE ? "" : ", " + q.postprocessing().name().toLowerCase(Locale.ROOT))
                .append(q.normalize() ? ", normalised to [0, 1]" : "")
                .append(". <span class=\"pos\">Red</span>: the unit supported the target; <span class=\"neg\">blue</span>: it argued against it.</p>\n");
        for (Explanation e : r.explanations()) section(sb, r, e);
        sb.append("<p class=\"foot\">").append(r.stats().units()).append(" units, ").append(r.stats().forwards())
                .append(" suppressed forward passes over ").append(r.stats().positions()).append(" positions; ")
                .append(String.format(Locale.ROOT, "%.0f ms", r.stats().totalNanos() / 1e6))
                .append(". Made by tfree4j.</p>\n</body>\n</html>\n");
        return sb.toString();
    }

    private static void section(StringBuilder sb, ExplainResult r, Explanation e) {
        double max = 0;
        for (ExplainItem i : e.items()) max = Math.max(max, Math.abs(i.score()));
        sb.append("<section>\n<h2>Target: <q>").append(esc(e.target())).append("</q></h2>\n<div class=\"heat\">");
        String prompt = r.request().prompt();
        int at = 0;
        for (ExplainItem i : e.promptItems()) {
            sb.append(esc(prompt.substring(at, i.start())));
            mark(sb, i, max);
            at = i.start() + i.length();
        }
        sb.append(esc(prompt.substring(at)));
        // The target: earlier target words coloured as well, the explained part underlined.
        sb.append("<span class=\"target\">");
        String target = r.target();
        at = 0;
        for (ExplainItem i : e.targetItems()) {
            sb.append(esc(target.substring(at, i.start())));
            mark(sb, i, max);
            at = i.start() + i.length();
        }
        int from = Math.max(at, e.targetStart());
        sb.append(esc(target.substring(at, from)));
        sb.append("<u>").append(esc(target.substring(from, e.targetStart() + e.targetLength()))).append("</u>");
        sb.append(esc(target.substring(e.targetStart() + e.targetLength())));
        sb.append("</span></div>\n<table>\n<tr><th>#</th><th>unit</th><th>score</th><th>ln p without</th><th>ln p with suppression</th></tr>\n");
        int n = 0;
        for (ExplainItem i : e.items()) {
            sb.append("<tr><td>").append(++n).append("</td><td><span style=\"").append(style(i.score(), max)).append("\">")
                    .append(esc(i.text())).append("</span>")
                    .append(i.source() == SuppressionUnit.Source.TARGET ? " <small>(target)</small>" : "")
                    .append("</td><td class=\"num\">").append(fmt(i.score())).append("</td><td class=\"num\">")
                    .append(fmt(i.baselineLogProb())).append("</td><td class=\"num\">").append(fmt(i.perturbedLogProb()))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n</section>\n");
    }

    private static void mark(StringBuilder sb, ExplainItem i, double max) {
        sb.append("<span class=\"u\" style=\"").append(style(i.score(), max)).append("\" title=\"score ")
                .append(fmt(i.score())).append("\">").append(esc(i.text())).append("</span>");
    }

    /** The heat-map's colour scale (also the server's playground draws with it): red for positive scores. */
    public static final String POSITIVE_RGB = "220,40,40";
    /** Blue for negative scores. */
    public static final String NEGATIVE_RGB = "40,90,220";
    /** The opacity of the largest |score|; smaller ones scale linearly down to 0. */
    public static final double MAX_ALPHA = 0.85;

    /** A unit's background: red for positive, blue for negative, opacity MAX_ALPHA · |score| / max. */
    public static String style(double score, double max) {
        double a = max > 0 ? Math.min(1, Math.abs(score) / max) : 0;
        String rgb = score >= 0 ? POSITIVE_RGB : NEGATIVE_RGB;
        return String.format(Locale.ROOT, "background:rgba(%s,%.3f)", rgb, MAX_ALPHA * a);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%+.5f", v);
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:60em;color:#222;padding:0 1em}
            h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}
            .settings,.foot{color:#555;font-size:.9em}
            .pos{background:rgba(220,40,40,.6)}.neg{background:rgba(40,90,220,.6)}
            .heat{white-space:pre-wrap;font-family:ui-monospace,"DejaVu Sans Mono",monospace;line-height:1.9;
              border:1px solid #ddd;border-radius:6px;padding:.8em 1em;background:#fafafa}
            .u{border-radius:3px;padding:.1em 0}
            .target{color:#777;border-left:2px solid #999;margin-left:.3em;padding-left:.3em}
            .target u{color:#000;text-decoration-thickness:2px}
            table{border-collapse:collapse;margin-top:1em;font-size:.9em}
            td,th{border-bottom:1px solid #eee;padding:.2em .7em;text-align:left}
            td.num{text-align:right;font-family:ui-monospace,monospace}
            """;
}
