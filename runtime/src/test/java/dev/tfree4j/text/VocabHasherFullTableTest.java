package dev.tfree4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.testing.Fixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Computes the whole [2^24, P] hash table and checks the SHA-256 fingerprints the reference recorded
 * for its raw little-endian int64 table, before and after the partial-lowercase replacement.
 * Slow by nature (2^24 x P MD5s): tens of seconds on 2 cores.
 */
class VocabHasherFullTableTest {
    @Test
    void table7bMatchesReferenceFingerprints() throws Exception {
        JsonNode ex = new ObjectMapper().readTree(Fixtures.refA().resolve("tokenizer_7b_examples.json").toFile());
        String[] digests = fingerprints(new VocabHasher(32000, 10, 2));
        assertEquals(ex.get("sha256_int64_le_table_before_partial_lowercase").asText(), digests[0], "before");
        assertEquals(ex.get("sha256_int64_le_table_final").asText(), digests[1], "final");
    }

    /** SHA-256 of the raw int64 little-endian table, before and after the lowercase replacement. */
    static String[] fingerprints(VocabHasher hasher) throws NoSuchAlgorithmException {
        MessageDigest before = MessageDigest.getInstance("SHA-256");
        MessageDigest after = MessageDigest.getInstance("SHA-256");
        int threads = Runtime.getRuntime().availableProcessors();
        long t0 = System.nanoTime();
        hasher.forEachChunk(1 << 16, threads, (first, count, hashed, replaced) -> {
            before.update(int64le(hashed));
            after.update(int64le(replaced));
        });
        System.out.printf("full trigram table V=%d P=%d K=%d on %d threads: %.1f s%n", hasher.vocabSize(),
                hasher.population(), hasher.partialLowercase(), threads, (System.nanoTime() - t0) / 1e9);
        return new String[] {HexFormat.of().formatHex(before.digest()), HexFormat.of().formatHex(after.digest())};
    }

    private static ByteBuffer int64le(int[] ids) {
        ByteBuffer buf = ByteBuffer.allocate(ids.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int id : ids) buf.putLong(id);
        return buf.flip();
    }

}
