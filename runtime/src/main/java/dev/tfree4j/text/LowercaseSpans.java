package dev.tfree4j.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Moves word spans from a lowercased text back to the text it came from. Lowercasing can change
 * lengths ("İ" becomes "i" + U+0307), so indices are mapped per code point; a span boundary inside
 * such an expansion moves to the end of the original character, which keeps spans ordered and
 * non-overlapping.
 */
final class LowercaseSpans {
    private LowercaseSpans() {}

    static List<Word> toOriginal(String original, String lower, List<Word> words) {
        // map[i] = original index for lowercased index i
        int[] map = new int[lower.length() + 1];
        int li = 0;
        for (int oi = 0; oi < original.length(); ) {
            int cp = original.codePointAt(oi);
            int on = Character.charCount(cp);
            int ln = new String(Character.toChars(cp)).toLowerCase(Locale.ROOT).length();
            if (li + ln > lower.length()) break;
            map[li] = oi;
            for (int k = 1; k < ln; k++) map[li + k] = oi + on;
            li += ln;
            oi += on;
        }
        if (li != lower.length()) {
            // only context-free length changes exist in Locale.ROOT, so this means a JDK surprise
            throw new IllegalStateException("cannot align lowercased text with the original");
        }
        map[li] = original.length();
        List<Word> out = new ArrayList<>(words.size());
        for (Word w : words) {
            int start = map[w.start()];
            out.add(new Word(w.text(), start, map[w.end()] - start));
        }
        return out;
    }
}
