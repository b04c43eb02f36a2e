package dev.tfree4j.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Python tuple read by {@link Pickle}: an immutable list of items (which may be {@code null}
 * for {@code None}). Kept distinct from {@link java.util.List} results (Python lists) because
 * torch's formats give tuples a meaning (shapes, strides, persistent ids, call arguments).
 *
 * <p>{@code depth} is the nesting depth of tuples inside it (1 for a flat tuple); tuples are
 * immutable and built from finished items, so it is exact and bounds recursion in
 * {@code equals}/{@code hashCode} when tuples are used as dict keys. {@code weight} is the
 * number of items counted through nested tuples as if shared tuples were copies (saturating at
 * {@link #MAX_WEIGHT}): the cost of {@code equals}/{@code hashCode}. Depth alone does not bound
 * that cost, because the memo lets a pickle reuse one tuple twice at every level, so 32 levels
 * can stand for 2^32 items.
 */
public record PickleTuple(List<Object> items, int depth, long weight) {
    /** Weights saturate here (far above any limit a reader applies). */
    public static final long MAX_WEIGHT = 1L << 40;

    public PickleTuple {
        items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    public static PickleTuple of(List<Object> items) {
        int depth = 1;
        long weight = 1;
        for (Object o : items) {
            if (o instanceof PickleTuple t) {
                depth = Math.max(depth, t.depth() + 1);
                weight = Math.min(MAX_WEIGHT, weight + t.weight());
            } else {
                weight = Math.min(MAX_WEIGHT, weight + 1);
            }
        }
        return new PickleTuple(items, depth, weight);
    }

    public int size() {
        return items.size();
    }

    public Object get(int i) {
        return items.get(i);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PickleTuple t && items.equals(t.items);
    }

    @Override
    public int hashCode() {
        return items.hashCode();
    }

    @Override
    public String toString() {
        return "tuple(" + items.size() + ")";
    }
}
