package dev.tfree4j.tests;

import dev.tfree4j.io.TorchCheckpointWriter;
import dev.tfree4j.text.Tokenizer;
import dev.tfree4j.text.TokenizerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A hand-built one-layer T-FREE model that copies one marked word: wherever the marked word
 * stands in the prompt, every later position attends to it and the model predicts it.
 *
 * <p>Hidden layout (V = 128 vocab ids, H = 2V + 2): dims [0, V) hold the input word's ids (each
 * embedding row v is e_v plus 1 in the bias dim B = 2V), dims [V, 2V) are a copy channel, B and
 * B + 1 the last rotary pair (its frequency is ~1e-4 per position, so attention scores there are
 * nearly position-free). One head of dimension H:
 * <ul>
 *   <li>query: q[B] = α·h[B] (a positive constant-ish per word);</li>
 *   <li>key: k[B] = β·Σ_{v ∈ ids(marked)} h[v], large for the marked word only;</li>
 *   <li>value: the input ids moved into the copy channel; dense: γ·identity on it;</li>
 *   <li>MLP weights zero; lm_head: logit_v = δ·y[V + v] − c·y[B], so ids present in the copy
 *       channel get positive logits and all others negative.</li>
 * </ul>
 * So the prediction after any word is the marked word, through attention to it alone.
 */
final class CopyTaskModel {
    static final String MARKED = "lamp";
    static final List<String> DICTIONARY = List.of("the", "old", "lamp", "stood", "by", "door", "a", "cat", "sat", "on",
            "mat", "camp", "damp", "lame", "light", "dark");
    private static final int V = 128;
    private static final int H = 2 * V + 2;
    private static final int B = 2 * V;
    private static final float ALPHA = 1f, BETA = 0.25f, GAMMA = 2f, DELTA = 5f, C = 1f;

    private CopyTaskModel() {}

    /** Writes the checkpoint (reference layout, float32) into {@code dir} and returns it. */
    static Path write(Path dir) {
        try {
            Files.createDirectories(dir.resolve("tokenizer"));
            Files.createDirectories(dir.resolve("transformer"));
            Files.createDirectories(dir.resolve("dictionary"));
            Path tokConfig = dir.resolve("tokenizer/tokenizer_config.yaml");
            Files.writeString(tokConfig, """
                    {"lowercase": false, "vocab_size": %d, "sequence_length": 32, "vocab_population": 2,
                     "vocab_population_partial_lowercase": 0, "do_classic_tokenization": false,
                     "prefix_path_tokenizer_file": "", "seed": 42, "initialize": "hash", "entire_words": false,
                     "end_of_text": "<|endoftext|>", "word_edge_weight": 1, "cache_dir": null}
                    """.formatted(V));
            Files.writeString(dir.resolve("transformer/transformer_config.yaml"), """
                    {"use_flash": false, "embedding_normalization": false, "embedding_aggregation": "sum",
                     "norm": "rms", "mlp_type": "swiglu", "init": "pythia", "bias_terms": false, "vocab_size": %d,
                     "hidden_size": %d, "num_layers": 1, "num_attention_heads": 1, "rotary_embedding_base": 10000,
                     "sequence_length": 32, "mlp_factor": 1.0, "precision": "float32", "layernorm_epsilon": 1e-05,
                     "init_std_global_gain": 1.0}
                    """.formatted(V, H));
            Files.write(dir.resolve("dictionary/words.txt"), DICTIONARY);
            int[] marked = Arrays.stream(Tokenizer.hashed(TokenizerConfig.read(tokConfig)).vocabIds(MARKED)).distinct().toArray();
            weights(marked).write(dir.resolve("transformer/transformer.pt"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TorchCheckpointWriter weights(int[] markedIds) {
        float[] embedding = new float[V * H];
        for (int v = 0; v < V; v++) {
            embedding[v * H + v] = 1;
            embedding[v * H + B] = 1;
        }
        float[] query = new float[H * H];
        query[B * H + B] = ALPHA;
        float[] key = new float[H * H];
        for (int v : markedIds) key[B * H + v] = BETA;
        float[] value = new float[H * H];
        for (int v = 0; v < V; v++) value[(V + v) * H + v] = 1;
        float[] dense = new float[H * H];
        for (int v = 0; v < V; v++) dense[(V + v) * H + V + v] = GAMMA;
        float[] head = new float[V * H];
        for (int v = 0; v < V; v++) {
            head[v * H + V + v] = DELTA;
            head[v * H + B] = -C;
        }
        float[] ones = new float[H];
        Arrays.fill(ones, 1f);
        float[] zeros = new float[H * H];
        String l = "transformer.layers.0.";
        return new TorchCheckpointWriter()
                .put("transformer.embeddings.embedding.weight", embedding, V, H)
                .put(l + "input_layernorm.weight", ones, H)
                .put(l + "attention.query.weight", query, H, H)
                .put(l + "attention.key.weight", key, H, H)
                .put(l + "attention.value.weight", value, H, H)
                .put(l + "attention.dense.weight", dense, H, H)
                .put(l + "post_attention_layernorm.weight", ones, H)
                .put(l + "mlp.dense_in.weight", zeros, H, H)
                .put(l + "mlp.swiglu.weight", zeros, H, H)
                .put(l + "mlp.dense_out.weight", zeros, H, H)
                .put("transformer.norm.weight", ones, H)
                .put("lm_head.weight", head, V, H);
    }
}
