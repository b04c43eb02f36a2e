package dev.tfree4j.explain;

import dev.tfree4j.text.Word;
import dev.tfree4j.text.WordSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cuts a prompt's words into suppression units at a granularity (docs/spec/atman-dtm.md §A.6, §A.8.1).
 *
 * <p>Each level marks where a unit may end; the words between two ends form a unit. Whitespace
 * words never stand alone: a run of them joins the unit of the word that follows (at the end of
 * the prompt, the unit before). A unit's span runs from its first to its last non-whitespace
 * word, so the text between spans is whitespace only.
 */
public final class PromptUnits {
    private static final Set<String> SENTENCE_ENDS = Set.of(".", "!", "?");

    private PromptUnits() {}

    /** The units of {@code words} (split from {@code text}, with spans) at {@code g}; AUTO is resolved first. */
    public static List<SuppressionUnit> split(String text, List<Word> words, PromptGranularity g) {
        PromptGranularity level = g.kind() == PromptGranularity.Kind.AUTO ? resolveAuto(text, words, g.autoTarget()) : g;
        return segments(words, endsAfter(text, words, level));
    }

    /** Which of word, sentence and paragraph gives the unit count closest to {@code target} (ties: the finer). */
    public static PromptGranularity resolveAuto(String text, List<Word> words, int target) {
        PromptGranularity best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (PromptGranularity level : List.of(PromptGranularity.WORD, PromptGranularity.SENTENCE, PromptGranularity.PARAGRAPH)) {
            int distance = Math.abs(split(text, words, level).size() - target);
            if (distance < bestDistance) {
                best = level;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** ends[p]: a unit may end after word p. */
    private static boolean[] endsAfter(String text, List<Word> words, PromptGranularity level) {
        int n = words.size();
        boolean[] ends = new boolean[n];
        for (int p = 0; p < n; p++) {
            String w = words.get(p).text();
            String next = p + 1 < n ? words.get(p + 1).text() : null;
            ends[p] = switch (level.kind()) {
                case WORD -> !WordSplitter.isWhitespaceWord(w);
                case SENTENCE -> SENTENCE_ENDS.contains(w) || (next != null && WordSplitter.isLineBreakWord(next));
                case PARAGRAPH -> next != null && isParagraphBreak(next);
                case CUSTOM -> false;
                case AUTO -> throw new IllegalStateException("auto is resolved before");
            };
        }
        if (level.kind() == PromptGranularity.Kind.CUSTOM) {
            // A unit ends after the word in which an occurrence of the delimiter ends.
            String d = level.delimiter();
            for (int at = text.indexOf(d); at >= 0; at = text.indexOf(d, at + d.length())) {
                int end = at + d.length();
                int last = -1;
                for (int p = 0; p < n && words.get(p).start() < end; p++) last = p;
                if (last >= 0) ends[last] = true;
            }
        }
        return ends;
    }

    /** Two or more line breaks in one word: a paragraph boundary after whitespace compression. */
    private static boolean isParagraphBreak(String word) {
        return WordSplitter.isLineBreakWord(word) && !word.equals(WordSplitter.LINEBREAK_TOKEN);
    }

    private static List<SuppressionUnit> segments(List<Word> words, boolean[] ends) {
        List<List<Integer>> groups = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int p = 0; p < words.size(); p++) {
            current.add(p);
            if (ends[p] || p == words.size() - 1) {
                groups.add(current);
                current = new ArrayList<>();
            }
        }
        // Whitespace-only groups join the next group (the last one joins the one before).
        List<List<Integer>> merged = new ArrayList<>();
        List<Integer> pending = new ArrayList<>();
        for (List<Integer> group : groups) {
            pending.addAll(group);
            if (hasContent(words, pending)) {
                merged.add(pending);
                pending = new ArrayList<>();
            }
        }
        if (!pending.isEmpty()) {
            if (merged.isEmpty()) merged.add(pending);
            else merged.getLast().addAll(pending);
        }
        List<SuppressionUnit> units = new ArrayList<>(merged.size());
        for (List<Integer> group : merged) units.add(unit(words, group));
        return units;
    }

    private static boolean hasContent(List<Word> words, List<Integer> positions) {
        for (int p : positions) if (!WordSplitter.isWhitespaceWord(words.get(p).text())) return true;
        return false;
    }

    private static SuppressionUnit unit(List<Word> words, List<Integer> positions) {
        boolean content = hasContent(words, positions);
        int start = Integer.MAX_VALUE, end = Integer.MIN_VALUE;
        for (int p : positions) {
            Word w = words.get(p);
            if (content && WordSplitter.isWhitespaceWord(w.text())) continue;
            start = Math.min(start, w.start());
            end = Math.max(end, w.end());
        }
        return new SuppressionUnit(SuppressionUnit.Source.PROMPT, positions.stream().mapToInt(Integer::intValue).toArray(),
                start, end - start);
    }
}
