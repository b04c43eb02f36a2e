package dev.tfree4j.explain;

import java.util.List;

/**
 * The explanation of one target unit (the whole target, or one target word).
 *
 * @param target the text of the explained target unit
 * @param targetStart its first character in the target text
 * @param targetLength its length in characters
 * @param items one per prompt unit in prompt order, then one per earlier target word
 */
public record Explanation(String target, int targetStart, int targetLength, List<ExplainItem> items) {
    public Explanation {
        items = List.copyOf(items);
    }

    /** The prompt items only. */
    public List<ExplainItem> promptItems() {
        return items.stream().filter(i -> i.source() == SuppressionUnit.Source.PROMPT).toList();
    }

    /** The target items only. */
    public List<ExplainItem> targetItems() {
        return items.stream().filter(i -> i.source() == SuppressionUnit.Source.TARGET).toList();
    }
}
