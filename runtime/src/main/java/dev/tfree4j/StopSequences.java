package dev.tfree4j;

import java.util.List;

/**
 * Stop texts (OpenAI's {@code stop}, LangChain4j's {@code stopSequences}): the output ends before the first occurrence of any stop text, which is
 * not returned. Generated text passes through here piece by piece; a piece's tail that could be
 * the start of a stop text is held back until the next piece shows whether it is one, so a
 * stream never sends text that a later stop would have cut.
 */
public final class StopSequences {
    private final List<String> stops;
    private final int longest;
    /** Text seen but not yet released: at most the longest stop text minus one character. */
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    /** @param stops the stop texts, none empty (an empty list: nothing stops the text) */
    public StopSequences(List<String> stops) {
        for (int i = 0; i < stops.size(); i++) {
            if (stops.get(i) == null || stops.get(i).isEmpty()) throw new IllegalArgumentException("stop text " + i + " is empty");
        }
        this.stops = List.copyOf(stops);
        this.longest = stops.stream().mapToInt(String::length).max().orElse(0);
    }

    /** Adds generated text; returns the text that can be released now (maybe empty). */
    public String add(String text) {
        if (stopped) return "";
        if (stops.isEmpty()) return text;
        pending.append(text);
        int cut = firstStop();
        if (cut >= 0) {
            stopped = true;
            String released = pending.substring(0, cut);
            pending.setLength(0);
            return released;
        }
        // Release all but the longest tail that is a prefix of some stop text.
        int keep = Math.min(longest - 1, pending.length());
        while (keep > 0 && !startsSomeStop(pending.length() - keep)) keep--;
        String released = pending.substring(0, pending.length() - keep);
        pending.delete(0, pending.length() - keep);
        return released;
    }

    /** The held-back text at the end of the generation (empty once a stop text was found). */
    public String finish() {
        String rest = pending.toString();
        pending.setLength(0);
        return rest;
    }

    /** Whether a stop text was found: the generation should end. */
    public boolean stopped() {
        return stopped;
    }

    private int firstStop() {
        int first = -1;
        for (String stop : stops) {
            int at = pending.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    /** Whether the pending text from {@code from} on is the beginning of a stop text. */
    private boolean startsSomeStop(int from) {
        String tail = pending.substring(from);
        for (String stop : stops) {
            if (stop.startsWith(tail)) return true;
        }
        return false;
    }
}
