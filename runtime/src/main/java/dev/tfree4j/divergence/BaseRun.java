package dev.tfree4j.divergence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tfree4j.ModelFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The base model's greedy continuations of a prompt set, computed once and reused for every
 * candidate (docs/spec/atman-dtm.md §B.5). Saved as JSON so that repeated {@code divergence} runs against
 * the same base skip regeneration.
 *
 * @param words          N, the requested continuation length
 * @param candidateCount size of the dictionary the references index into (a cache made with a
 *                       different dictionary is rejected)
 */
public record BaseRun(int words, int candidateCount, List<Reference> references) {
    public static final String FORMAT = "tfree4j-divergence-base";

    public BaseRun {
        references = List.copyOf(references);
    }

    public List<String> prompts() {
        return references.stream().map(Reference::prompt).toList();
    }

    public void write(Path file) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        root.put("words", words);
        root.put("dictionary_size", candidateCount);
        ArrayNode refs = root.putArray("references");
        for (Reference r : references) {
            ObjectNode o = refs.addObject();
            o.put("prompt", r.prompt());
            ArrayNode w = o.putArray("words");
            r.words().forEach(w::add);
            ArrayNode idx = o.putArray("indices");
            for (int i : r.indices()) idx.add(i);
            ArrayNode m = o.putArray("margins");
            for (float f : r.margins()) m.add(f);
            ArrayNode lp = o.putArray("log_probs");
            for (float f : r.logProbs()) lp.add(f);
        }
        try {
            Files.writeString(file, json.writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static BaseRun read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file, "not a readable base-run cache: " + e.getMessage(), e);
        }
        if (root == null || !FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != 1) {
            throw new ModelFormatException(file, "not a " + FORMAT + " version 1 file");
        }
        List<Reference> refs = new ArrayList<>();
        for (JsonNode o : root.path("references")) {
            List<String> words = new ArrayList<>();
            o.path("words").forEach(w -> words.add(w.asText()));
            int n = words.size();
            int[] idx = new int[n];
            float[] margins = new float[n];
            float[] lps = new float[n];
            if (o.path("indices").size() != n || o.path("margins").size() != n || o.path("log_probs").size() != n) {
                throw new ModelFormatException(file, "reference for prompt " + o.path("prompt") + " has arrays of different lengths");
            }
            for (int i = 0; i < n; i++) {
                idx[i] = o.path("indices").get(i).asInt();
                margins[i] = (float) o.path("margins").get(i).asDouble();
                lps[i] = (float) o.path("log_probs").get(i).asDouble();
            }
            refs.add(new Reference(o.path("prompt").asText(), words, idx, margins, lps));
        }
        return new BaseRun(root.path("words").asInt(), root.path("dictionary_size").asInt(), refs);
    }
}
