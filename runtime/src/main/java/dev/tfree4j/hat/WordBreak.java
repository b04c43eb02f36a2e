package dev.tfree4j.hat;

import dev.tfree4j.hat.WordBreakTable.Property;

/**
 * Word boundaries of UAX #29 (the default rules WB1-WB999, Unicode 16.0; no tailoring, no
 * dictionaries), exactly as the Rust crate {@code unicode-segmentation} 1.12 finds them with
 * {@code split_word_bounds}, the first step of the HAT splitter.
 *
 * <p>The rules are applied the way that crate applies them: one left-to-right scan per segment,
 * in a state that remembers what the segment is so far (letters, digits, a space run, ...).
 * Characters ignored by WB4 (Extend, Format, ZWJ) are skipped inside a segment. A MidLetter /
 * MidNum / quote character is tentatively taken (WB6, WB7b, WB12) and given back when no letter or
 * digit follows (WB7, WB7c, WB11 fail). Two consequences of this scan differ from a literal
 * reading of UAX #29 on inputs that the official tests do not contain; they are kept on purpose,
 * since the HAT models were trained on the crate's output:
 * <ul>
 *   <li>a ZWJ followed by an Extended_Pictographic character always continues the segment (WB3c),
 *       even right after a tentatively taken MidLetter/MidNum character: {@code a}, {@code :},
 *       U+200D ZWJ, U+231A WATCH is one segment;</li>
 *   <li>after an Extended_Pictographic reached through a ZWJ the segment ends, even when that
 *       character is an ALetter and a letter follows: {@code a}, U+200D ZWJ, U+24C2 CIRCLED
 *       LATIN CAPITAL LETTER M, {@code b} ends before {@code b}.</li>
 * </ul>
 */
final class WordBreak {
    private WordBreak() {}

    /** What the segment scanned so far is; it decides which character may continue it. */
    private enum State {
        /** Nothing scanned yet. */
        START,
        /** Ends in an ALetter (WB5-WB7, WB9, WB13a). */
        LETTER,
        /** Ends in a Hebrew_Letter (also WB7a-WB7c). */
        HEBREW_LETTER,
        /** Ends in a Numeric (WB8, WB10-WB12). */
        NUMERIC,
        /** Ends in a Katakana (WB13). */
        KATAKANA,
        /** Ends in an ExtendNumLet (WB13a, WB13b). */
        EXTEND_NUM_LET,
        /** One Regional_Indicator (WB15, WB16). */
        ONE_REGIONAL_INDICATOR,
        /** A pair of Regional_Indicators: nothing more joins. */
        TWO_REGIONAL_INDICATORS,
        /** Starts with a ZWJ: only an Extended_Pictographic continues it (WB3c). */
        ZWJ,
        /** An Extended_Pictographic reached through a ZWJ (WB3c): nothing more joins but WB4/WB3c. */
        EMOJI,
        /** A run of WSegSpace (WB3d). */
        SPACES,
        /** Any other single character, with Extend/Format/ZWJ after it (WB4); nothing more joins. */
        OTHER_WITH_EXTENDS,
        /** Letters, then a MidLetter/MidNumLet/Single_Quote: needs a letter next (WB6/WB7), else give it back. */
        AFTER_MID_LETTER,
        /** Hebrew letters, then a Double_Quote: needs a Hebrew_Letter next (WB7b/WB7c), else give it back. */
        AFTER_DOUBLE_QUOTE,
        /** Hebrew letters, then a Single_Quote (WB7a): a letter may continue (WB7), else the segment ends. */
        AFTER_HEBREW_SINGLE_QUOTE,
        /** Digits, then a MidNum/MidNumLet/Single_Quote: needs a digit next (WB11/WB12), else give it back. */
        AFTER_MID_NUM
    }

    /**
     * The end of the word-bound segment that starts at {@code start}.
     *
     * @param text code points
     * @param start where the segment starts, {@code start < end}
     * @param end the end of the text (WB2: the segment never extends past it)
     * @return the index just after the segment, in {@code (start, end]}
     */
    static int nextBoundary(int[] text, int start, int end) {
        State state = State.START;
        int givenBackAt = start; // where the tentatively taken MidLetter/MidNum/quote character sits
        boolean skippedIgnorable = false;
        Property previous = null;
        for (int i = start; i < end; i++) {
            int cp = text[i];
            Property property = WordBreakTable.property(cp);
            boolean afterZwj = previous == Property.ZWJ;
            previous = property;

            // WB4: X (Extend | Format | ZWJ)* -> X inside a segment.
            if (state != State.START && isIgnorable(property)) {
                skippedIgnorable = true;
                continue;
            }
            // WB3c: ZWJ x \p{Extended_Pictographic}, before the state's own rules.
            if (afterZwj && WordBreakTable.isExtendedPictographic(cp)) {
                state = State.EMOJI;
                continue;
            }
            switch (state) {
                case START -> {
                    switch (property) {
                        case CR -> {
                            // WB3: CR x LF; WB3a: break after CR and LF.
                            return i + 1 < end && WordBreakTable.property(text[i + 1]) == Property.LF ? i + 2 : i + 1;
                        }
                        case LF, NEWLINE -> {
                            return i + 1;                           // WB3a
                        }
                        case ALETTER -> state = State.LETTER;
                        case HEBREW_LETTER -> state = State.HEBREW_LETTER;
                        case NUMERIC -> state = State.NUMERIC;
                        case KATAKANA -> state = State.KATAKANA;
                        case EXTENDNUMLET -> state = State.EXTEND_NUM_LET;
                        case REGIONAL_INDICATOR -> state = State.ONE_REGIONAL_INDICATOR;
                        case ZWJ -> state = State.ZWJ;
                        case WSEGSPACE -> state = State.SPACES;
                        default -> {
                            // WB4 keeps Extend/Format/ZWJ after any other character; else WB999.
                            if (i + 1 < end && isIgnorable(WordBreakTable.property(text[i + 1]))) {
                                state = State.OTHER_WITH_EXTENDS;
                            } else {
                                return i + 1;
                            }
                        }
                    }
                }
                case SPACES -> {
                    // WB3d: WSegSpace x WSegSpace, only when adjacent (nothing skipped by WB4 between).
                    if (property != Property.WSEGSPACE || skippedIgnorable) return i;
                }
                case LETTER, HEBREW_LETTER -> {
                    switch (property) {
                        case ALETTER -> state = State.LETTER;                   // WB5
                        case HEBREW_LETTER -> state = State.HEBREW_LETTER;      // WB5
                        case NUMERIC -> state = State.NUMERIC;                  // WB9
                        case EXTENDNUMLET -> state = State.EXTEND_NUM_LET;      // WB13a
                        case DOUBLE_QUOTE -> {
                            if (state != State.HEBREW_LETTER) return i;         // WB999
                            givenBackAt = i;
                            state = State.AFTER_DOUBLE_QUOTE;                   // WB7b
                        }
                        case SINGLE_QUOTE, MIDLETTER, MIDNUMLET -> {
                            if (state == State.HEBREW_LETTER && property == Property.SINGLE_QUOTE) {
                                state = State.AFTER_HEBREW_SINGLE_QUOTE;        // WB7a
                            } else {
                                givenBackAt = i;
                                state = State.AFTER_MID_LETTER;                 // WB6
                            }
                        }
                        default -> {
                            return i;                                           // WB999
                        }
                    }
                }
                case NUMERIC -> {
                    switch (property) {
                        case NUMERIC -> state = State.NUMERIC;                  // WB8
                        case ALETTER -> state = State.LETTER;                   // WB10
                        case HEBREW_LETTER -> state = State.HEBREW_LETTER;      // WB10
                        case EXTENDNUMLET -> state = State.EXTEND_NUM_LET;      // WB13a
                        case MIDNUM, MIDNUMLET, SINGLE_QUOTE -> {
                            givenBackAt = i;
                            state = State.AFTER_MID_NUM;                        // WB12
                        }
                        default -> {
                            return i;                                           // WB999
                        }
                    }
                }
                case KATAKANA -> {
                    switch (property) {
                        case KATAKANA -> state = State.KATAKANA;                // WB13
                        case EXTENDNUMLET -> state = State.EXTEND_NUM_LET;      // WB13a
                        default -> {
                            return i;                                           // WB999
                        }
                    }
                }
                case EXTEND_NUM_LET -> {
                    switch (property) {
                        case EXTENDNUMLET -> state = State.EXTEND_NUM_LET;      // WB13a
                        case ALETTER -> state = State.LETTER;                   // WB13b
                        case HEBREW_LETTER -> state = State.HEBREW_LETTER;      // WB13b
                        case NUMERIC -> state = State.NUMERIC;                  // WB13b
                        case KATAKANA -> state = State.KATAKANA;                // WB13b
                        default -> {
                            return i;                                           // WB999
                        }
                    }
                }
                case ONE_REGIONAL_INDICATOR -> {
                    // WB15/WB16: Regional_Indicators pair up; a break after each pair.
                    if (property != Property.REGIONAL_INDICATOR) return i;
                    state = State.TWO_REGIONAL_INDICATORS;
                }
                case AFTER_MID_LETTER, AFTER_HEBREW_SINGLE_QUOTE -> {
                    switch (property) {
                        case ALETTER -> state = State.LETTER;                   // WB7
                        case HEBREW_LETTER -> state = State.HEBREW_LETTER;      // WB7
                        default -> {
                            // WB7 failed: give the Mid character back; after WB7a's quote just break.
                            return state == State.AFTER_MID_LETTER ? givenBackAt : i;
                        }
                    }
                }
                case AFTER_DOUBLE_QUOTE -> {
                    if (property != Property.HEBREW_LETTER) return givenBackAt; // WB7c failed
                    state = State.HEBREW_LETTER;                                // WB7c
                }
                case AFTER_MID_NUM -> {
                    if (property != Property.NUMERIC) return givenBackAt;       // WB11 failed
                    state = State.NUMERIC;                                      // WB11
                }
                case ZWJ, EMOJI, TWO_REGIONAL_INDICATORS, OTHER_WITH_EXTENDS -> {
                    return i;                                                   // WB999
                }
            }
        }
        // WB2: the text ends; a Mid character still waiting for its letter or digit is given back.
        return switch (state) {
            case AFTER_MID_LETTER, AFTER_DOUBLE_QUOTE, AFTER_MID_NUM -> givenBackAt;
            default -> end;
        };
    }

    /** Extend, Format and ZWJ: the characters WB4 attaches to the character before them. */
    private static boolean isIgnorable(Property property) {
        return property == Property.EXTEND || property == Property.FORMAT || property == Property.ZWJ;
    }
}
