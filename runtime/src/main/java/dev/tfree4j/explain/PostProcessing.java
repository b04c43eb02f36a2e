package dev.tfree4j.explain;

/** Applied to every score of an explanation before the optional normalisation (docs/spec/atman-dtm.md §A.4). */
public enum PostProcessing {
    NONE, ABSOLUTE, SQUARE;

    double apply(double score) {
        return switch (this) {
            case NONE -> score;
            case ABSOLUTE -> Math.abs(score);
            case SQUARE -> score * score;
        };
    }
}
