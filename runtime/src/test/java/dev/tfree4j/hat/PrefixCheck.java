package dev.tfree4j.hat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The prefix property of a split: splitting a prefix yields a prefix of the words, the last possibly shorter. */
final class PrefixCheck {
    private PrefixCheck() {}

    /** Prefix lengths, in code points (1 .. length-1), whose split is not a prefix of the full split. */
    static List<Integer> nonCausalPrefixLengths(String text, int maxBytes) {
        List<byte[]> full = HatSplitter.splitWithLimit(text, maxBytes);
        int[] codePoints = text.codePoints().toArray();
        List<Integer> out = new ArrayList<>();
        for (int length = 1; length < codePoints.length; length++) {
            String prefix = new String(codePoints, 0, length);
            if (!isPrefixSplit(HatSplitter.splitWithLimit(prefix, maxBytes), full)) out.add(length);
        }
        return out;
    }

    static boolean isPrefixSplit(List<byte[]> prefixWords, List<byte[]> fullWords) {
        if (prefixWords.size() > fullWords.size()) return false;
        for (int i = 0; i < prefixWords.size(); i++) {
            byte[] p = prefixWords.get(i);
            byte[] f = fullWords.get(i);
            boolean last = i == prefixWords.size() - 1;
            boolean ok = last ? p.length <= f.length && Arrays.equals(p, 0, p.length, f, 0, p.length) : Arrays.equals(p, f);
            if (!ok) return false;
        }
        return true;
    }
}
