package dev.tfree4j.divergence;

/**
 * A model's view of a forced sequence, one entry per continuation step n: its greedy choice
 * given the reference prefix, ln p of the reference word, the multi-label BCE of the row against
 * the reference word's ids, and its own top-1/top-2 margin.
 */
record StepTrace(int[] argmax, float[] targetLogProb, double[] bce, float[] margin) {
    int length() {
        return argmax.length;
    }
}
