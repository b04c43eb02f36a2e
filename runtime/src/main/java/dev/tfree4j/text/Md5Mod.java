package dev.tfree4j.text;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * MD5 of a message, read as an unsigned 128-bit big-endian integer, modulo a fixed V: the hash
 * behind every trigram-table row and hashed word. Not thread-safe: one instance per thread.
 *
 * <p>Uses {@link MessageDigest}, reused, writing into a reused buffer: HotSpot compiles its MD5 core
 * to a hand-tuned intrinsic. A hand-written single-block MD5 in Java was measured slower (about
 * 200 ns against 125-150 ns per digest of an 11-byte message, measured on the 2-core build machine).
 */
final class Md5Mod {
    /** Moduli up to 2^28 allow the one-division reduction below. */
    private static final int SMALL_MODULUS = 1 << 28;

    private final MessageDigest md5;
    private final byte[] digest = new byte[16];
    private final int v;
    // 2^32, 2^64, 2^96 mod V: the weights of the digest's four 32-bit words, reduced
    private final long c32;
    private final long c64;
    private final long c96;

    Md5Mod(int v) {
        if (v < 1) throw new IllegalArgumentException("modulus must be >= 1: " + v);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
        this.v = v;
        this.c32 = (1L << 32) % v;
        this.c64 = c32 * c32 % v;
        this.c96 = c64 * c32 % v;
    }

    /** MD5 of {@code text}'s UTF-8, mod V. */
    int of(String text) {
        byte[] msg = text.getBytes(StandardCharsets.UTF_8);
        return of(msg, msg.length);
    }

    /** MD5 of {@code msg[0..len)}, mod V. */
    int of(byte[] msg, int len) {
        md5.update(msg, 0, len);
        try {
            md5.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException("a 16-byte buffer holds an MD5 digest", e);
        }
        return mod128(word(0), word(4), word(8), word(12));
    }

    private int word(int at) {
        return (digest[at] & 0xFF) << 24 | (digest[at + 1] & 0xFF) << 16
                | (digest[at + 2] & 0xFF) << 8 | (digest[at + 3] & 0xFF);
    }

    /** (w0·2^96 + w1·2^64 + w2·2^32 + w3) mod V, words unsigned. */
    private int mod128(int w0, int w1, int w2, int w3) {
        long u0 = Integer.toUnsignedLong(w0);
        long u1 = Integer.toUnsignedLong(w1);
        long u2 = Integer.toUnsignedLong(w2);
        long u3 = Integer.toUnsignedLong(w3);
        if (v <= SMALL_MODULUS) {
            // four products (each < 2^32 · 2^28) sum below 2^63: a single division
            return (int) ((u0 * c96 + u1 * c64 + u2 * c32 + u3) % v);
        }
        // Horner steps: r < V < 2^31, so r·2^32 + w still fits a signed long
        long r = u0 % v;
        r = ((r << 32) | u1) % v;
        r = ((r << 32) | u2) % v;
        return (int) (((r << 32) | u3) % v);
    }
}
