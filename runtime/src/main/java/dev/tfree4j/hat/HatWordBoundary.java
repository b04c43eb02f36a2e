package dev.tfree4j.hat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Generation's word-boundary test (docs/spec/hat.md §3.1 step 4, §3.2, §9): after each sampled
 * byte, does the current word grow, or does it end (and where does the next word start)?
 *
 * <p>The candidate is the current word plus the new byte. Its text (special bytes mapped to their
 * strings) is decoded as strict UTF-8; if that succeeds, the model's own encoding re-splits it:
 * one word means the word grows, several mean all but the last are complete and the last starts
 * the next word (its first bytes, "carried", were fed as part of the old word). When decoding
 * fails, the policy decides:
 * <ul>
 *   <li>{@link Policy#VLLM} (the default, the vLLM fork's {@code check_byte_for_new_word}): a word
 *       already {@code maxWordBytes} long, or a byte that cannot continue the word (an invalid
 *       start or continuation byte), starts a new word with the new byte; an incomplete character
 *       at the end keeps the byte in the word;</li>
 *   <li>{@link Policy#HF} (the HF loop, for parity): the byte stays in the word — a word holding an
 *       invalid byte then never decodes again, so the {@code maxWordBytes} cap is what ends it.</li>
 * </ul>
 */
public final class HatWordBoundary {
    /** What to do when the candidate word is not valid UTF-8 (see the class comment). */
    public enum Policy { VLLM, HF }

    private final HatSpecialTokens specials;
    private final Policy policy;
    private final int maxWordBytes;

    /** @param maxWordBytes the hard word-length cap (normally {@code max_word_size}) */
    public HatWordBoundary(HatSpecialTokens specials, Policy policy, int maxWordBytes) {
        if (maxWordBytes < 1) throw new IllegalArgumentException("maxWordBytes must be >= 1, got " + maxWordBytes);
        this.specials = specials;
        this.policy = policy;
        this.maxWordBytes = maxWordBytes;
    }

    /**
     * The words {@code current + b} splits into: one word (it grows), or several (all but the last
     * are complete; the last ends with {@code b}). Their bytes concatenate to the candidate.
     */
    public List<byte[]> split(byte[] current, int b) {
        byte[] candidate = Arrays.copyOf(current, current.length + 1);
        candidate[current.length] = (byte) b;
        boolean overCap = candidate.length > maxWordBytes;
        if (policy == Policy.VLLM && overCap && current.length > 0) return List.of(current, new byte[] {(byte) b});
        Utf8 state = textOf(candidate);
        if (state.text == null) {
            boolean newWord = policy == Policy.VLLM ? state.invalid : overCap;
            return newWord && current.length > 0 ? List.of(current, new byte[] {(byte) b}) : List.of(candidate);
        }
        List<byte[]> words = specials.encode(state.text);
        if (words.size() <= 1 || !concatenates(words, candidate)) {
            // A text that re-encodes to other bytes (e.g. a special token's string spelled out byte by
            // byte) is not re-split: the bytes already fed stay one word, as far as the cap allows.
            return overCap && current.length > 0 ? List.of(current, new byte[] {(byte) b}) : List.of(candidate);
        }
        return words;
    }

    private static boolean concatenates(List<byte[]> words, byte[] candidate) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream(candidate.length);
        for (byte[] w : words) joined.writeBytes(w);
        return Arrays.equals(joined.toByteArray(), candidate);
    }

    /** Strict decoding: the text, or null with whether the failure is invalid (vs. incomplete at the end). */
    private record Utf8(String text, boolean invalid) {}

    private Utf8 textOf(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            String special = specials.stringOf(b);
            if (special != null) {
                text.append(special);
                i++;
                continue;
            }
            int len = sequenceLength(b);
            if (len == 0) return new Utf8(null, true);
            if (i + len > bytes.length) {
                // Incomplete at the end only if every byte present is a valid continuation so far.
                for (int j = i + 1; j < bytes.length; j++) {
                    if (!validContinuation(bytes, i, j)) return new Utf8(null, true);
                }
                return new Utf8(null, false);
            }
            for (int j = i + 1; j < i + len; j++) {
                if (!validContinuation(bytes, i, j)) return new Utf8(null, true);
            }
            text.append(new String(bytes, i, len, StandardCharsets.UTF_8));
            i += len;
        }
        return new Utf8(text.toString(), false);
    }

    /** Length of the sequence a lead byte starts (1..4), or 0 for a byte that cannot start one. */
    private static int sequenceLength(int b) {
        if (b < 0x80) return 1;
        if (b >= 0xC2 && b <= 0xDF) return 2;
        if (b >= 0xE0 && b <= 0xEF) return 3;
        if (b >= 0xF0 && b <= 0xF4) return 4;
        return 0;
    }

    /** Whether byte j continues the sequence led at i (with UTF-8's limits on the second byte). */
    private static boolean validContinuation(byte[] bytes, int i, int j) {
        int lead = bytes[i] & 0xFF, c = bytes[j] & 0xFF;
        if (j == i + 1) {
            if (lead == 0xE0) return c >= 0xA0 && c <= 0xBF;  // no overlong forms
            if (lead == 0xED) return c >= 0x80 && c <= 0x9F;  // no surrogates
            if (lead == 0xF0) return c >= 0x90 && c <= 0xBF;
            if (lead == 0xF4) return c >= 0x80 && c <= 0x8F;  // <= U+10FFFF
        }
        return c >= 0x80 && c <= 0xBF;
    }
}
