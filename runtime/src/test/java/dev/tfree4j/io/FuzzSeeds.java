package dev.tfree4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes the seed inputs of the fuzz targets into their Jazzer regression directories
 * ({@code src/test/resources/dev/tfree4j/io/<Class>Inputs/<method>/}): small valid files of each
 * format and the hand-made malformed cases. Inputs that fuzzing found (crash-*, timeout-*) are
 * added to the same directories by Jazzer and kept in git beside these. Re-run after changing
 * a seed: {@code tools/fuzz.sh seeds}.
 */
public final class FuzzSeeds {
    private static final Path HAT_TINY_A = Path.of("testdata/fixtures/hat-tiny-a");

    private FuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "runtime/src/test/resources/dev/tfree4j/io");
        pickles(root.resolve("PickleFuzzTestInputs/pickle"));
        counters(root.resolve("DictionaryFilesFuzzTestInputs/counterPickle"));
        wordLists(root.resolve("DictionaryFilesFuzzTestInputs/wordList"));
        torchPickles(root.resolve("TorchArchiveFuzzTestInputs/torchPickle"));
        torchArchives(root.resolve("TorchArchiveFuzzTestInputs/torchArchive"));
        zips(root.resolve("ZipArchiveFuzzTestInputs/zipDirectory"));
        tokenizerPickles(root.resolve("TokenizerFileFuzzTestInputs/tokenizerPickle"));
        configs(root.resolve("ConfigFuzzTestInputs/transformerConfig"), root.resolve("ConfigFuzzTestInputs/tokenizerConfig"));
        npys(root.resolve("NpyFuzzTestInputs/npy"));
        safetensors(root.resolve("ConvertedFormatFuzzTestInputs/safetensors"));
        convertedConfigs(root.resolve("ConvertedFormatFuzzTestInputs/convertedConfig"));
        hatConfigs(root.resolve("HatFormatFuzzTestInputs/hatConfig"));
        hatIndexes(root.resolve("HatFormatFuzzTestInputs/hatIndex"));
    }

    static byte[] counterPickle() {
        return PickleBytes.proto(2).global("collections", "Counter").mark().op('}').mark()
                .str("the").integer(5).str("LORD").integer(3).str("<|endoftext|>").integer(1).str("\u00e9t\u00e9").integer(300)
                .op('u').tuple().reduce().stop().bytes();
    }

    private static void pickles(Path dir) throws IOException {
        write(dir, "counter", counterPickle());
        write(dir, "plain_dict_proto4", PickleBytes.proto(4).op(0x95).u64(0).op('}').op(0x94).mark()
                .str8("a").integer(1L << 40).str8("b").integer(-7).op('u').stop().bytes());
        write(dir, "list_tuple_set", PickleBytes.proto(2).op(']').mark().integer(1).op('N').op(0x88)
                .op('G').raw(new byte[] {0x3f, (byte) 0xf0, 0, 0, 0, 0, 0, 0}).tupleOf(1, 2, 3)
                .op(0x8f).mark().str("x").op(0x90).op('e').stop().bytes());
        write(dir, "memo_binget", PickleBytes.proto(2).str("w").op('q', 0).op(0x94).op('h', 0).op('j').u32(1)
                .op(0x87).stop().bytes());
        write(dir, "persistent_id", PickleBytes.proto(2).mark().str("storage").global("torch", "FloatStorage")
                .str("0").str("cpu").integer(4).tuple().op('Q').stop().bytes());
        write(dir, "forbidden_global", PickleBytes.proto(2).global("os", "system").str("echo pwned").op(0x85)
                .reduce().stop().bytes());
        write(dir, "stack_global_forbidden", PickleBytes.proto(4).stackGlobal("builtins", "eval").stop().bytes());
        write(dir, "inst_opcode", PickleBytes.proto(2).op('i').raw("os\nsystem\n".getBytes(StandardCharsets.UTF_8)).stop().bytes());
        write(dir, "huge_length", PickleBytes.proto(2).op('X').u32(0xFFFFFFF0L).stop().bytes());
        write(dir, "huge_memo_index", PickleBytes.proto(2).op('N').op('r').u32(0x7FFFFFF0L).stop().bytes());
        write(dir, "truncated", Arrays.copyOf(counterPickle(), 20));
        // A tuple reused twice at each of 31 levels: 2^31 items if expanded (hashing it takes seconds), as a dict key.
        PickleBytes dag = PickleBytes.proto(2).op('}').op(')').op('q', 0);
        for (int level = 1; level <= 31; level++) dag.op('0').op('h', level - 1).op('h', level - 1).op(0x86).op('q', level);
        write(dir, "shared_tuple_key", dag.op('N').op('s').stop().bytes());
        PickleBytes deep = PickleBytes.proto(2);
        for (int i = 0; i < 2000; i++) deep.op(']');
        for (int i = 0; i < 1999; i++) deep.op('a');
        write(dir, "deep_lists", deep.stop().bytes());
    }

    private static void counters(Path dir) throws IOException {
        write(dir, "counter", counterPickle());
        write(dir, "empty_counter", PickleBytes.proto(2).global("collections", "Counter").op(')').reduce().stop().bytes());
        write(dir, "float_count", PickleBytes.proto(2).op('}').str("a").op('G').raw(new byte[8]).op('s').stop().bytes());
        write(dir, "not_a_dict", PickleBytes.proto(2).op(']').stop().bytes());
    }

    private static void wordLists(Path dir) throws IOException {
        write(dir, "plain", "the\nLORD\n<|endoftext|>\n\u00e9t\u00e9\n".getBytes(StandardCharsets.UTF_8));
        write(dir, "counts_crlf_bom", "\uFEFFthe\t5\r\nLORD\t3\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        write(dir, "escapes", "a\\tb\nc\\\\d\ne\\nf\n".getBytes(StandardCharsets.UTF_8));
        write(dir, "multi_word", "hello world\n".getBytes(StandardCharsets.UTF_8));
        write(dir, "bad_utf8", new byte[] {'a', '\n', (byte) 0xC3, '\n'});
        write(dir, "mixed_counts", "a\t1\nb\n".getBytes(StandardCharsets.UTF_8));
        write(dir, "huge_count", "a\t99999999999999999999\n".getBytes(StandardCharsets.UTF_8));
    }

    private static void torchPickles(Path dir) throws IOException {
        write(dir, "one_tensor", PickleBytes.oneTensorStateDict("w", "FloatStorage", 16, 0, new long[] {4, 4}, new long[] {4, 1}));
        write(dir, "offset_view", PickleBytes.oneTensorStateDict("w", "BFloat16Storage", 32, 2, new long[] {2, 3}, new long[] {3, 1}));
        write(dir, "huge_numel", PickleBytes.oneTensorStateDict("w", "FloatStorage", 1L << 40, 0, new long[] {1L << 40}, new long[] {1}));
        write(dir, "overflow_shape", PickleBytes.oneTensorStateDict("w", "FloatStorage", 4, 0, new long[] {1L << 40, 1L << 40}, new long[] {1L << 40, 1}));
        write(dir, "strided", PickleBytes.oneTensorStateDict("w", "FloatStorage", 4, 0, new long[] {2, 2}, new long[] {1, 2}));
        write(dir, "parameter", PickleBytes.proto(2).op('}').str("p").global("torch._utils", "_rebuild_parameter")
                .mark().tensor("HalfStorage", "1", 8, 0, new long[] {8}, new long[] {1}).op(0x89).global("collections", "OrderedDict")
                .op(')').reduce().tuple().reduce().op('s').stop().bytes());
    }

    private static void torchArchives(Path dir) throws IOException {
        byte[] pkl = PickleBytes.oneTensorStateDict("w", "FloatStorage", 6, 2, new long[] {2, 2}, new long[] {2, 1});
        byte[] storage = new byte[24];
        for (int i = 0; i < storage.length; i++) storage[i] = (byte) i;
        write(dir, "aligned", new RawZip().align(64).add("model/data.pkl", pkl).add("model/data/0", storage)
                .add("model/version", "3\n".getBytes(StandardCharsets.US_ASCII)).add("model/byteorder", "little".getBytes(StandardCharsets.US_ASCII)).bytes());
        write(dir, "zip64", new RawZip().zip64().add("m/data.pkl", pkl).add("m/data/0", storage).bytes());
        byte[] good = new RawZip().add("m/data.pkl", pkl).add("m/data/0", storage).bytes();
        write(dir, "truncated", Arrays.copyOf(good, good.length - 30));
        write(dir, "compressed", new RawZip().add("z/data.pkl", pkl, 8).bytes());
    }

    private static void zips(Path dir) throws IOException {
        write(dir, "two_entries", new RawZip().add("a/x", "hello".getBytes(StandardCharsets.US_ASCII)).add("a/y", new byte[3]).bytes());
        write(dir, "zip64_aligned", new RawZip().zip64().align(64).add("a/x", new byte[70]).bytes());
        write(dir, "empty_zip", new RawZip().bytes());
        byte[] dup = new RawZip().add("d", new byte[1]).add("d", new byte[1]).bytes();
        write(dir, "duplicate_names", dup);
    }

    private static void tokenizerPickles(Path dir) throws IOException {
        // Storage "0" holds 8 int64 values; the patterns index into it.
        write(dir, "table_only", PickleBytes.proto(2).op('}').mark()
                .str("trigram_to_vocab").tensor("LongStorage", "0", 8, 0, new long[] {4, 2}, new long[] {2, 1})
                .str("words").op(']').str("word_counter_full").op('N').op('u').stop().bytes());
        write(dir, "with_dictionary", PickleBytes.proto(2).op('}').mark()
                .str("words").op(']').mark().str("a").str("b").op('e')
                .str("words_to_weights_word_indices").tensor("LongStorage", "2", 2, 0, new long[] {2}, new long[] {1})
                .str("words_to_weights_token_indices").tensor("LongStorage", "2", 2, 0, new long[] {2}, new long[] {1})
                .str("words_to_weights_word_indices_edges").tensor("LongStorage", "2", 1, 0, new long[] {1}, new long[] {1})
                .str("words_to_weights_token_indices_edges").tensor("LongStorage", "2", 1, 0, new long[] {1}, new long[] {1})
                .str("word_trigram_counts").tensor("LongStorage", "3", 2, 0, new long[] {2}, new long[] {1})
                .str("word_counts").tensor("LongStorage", "3", 2, 0, new long[] {2}, new long[] {1})
                .str("word_counter_full").global("collections", "Counter").mark().op('}').str("a").integer(2).op('s')
                .tuple().reduce()
                .op('u').stop().bytes());
        write(dir, "words_not_a_list", PickleBytes.proto(2).op('}').str("words").integer(3).op('s').stop().bytes());
    }

    private static void configs(Path transformer, Path tokenizer) throws IOException {
        Path model = Path.of("models/tfree-kjv-small");
        if (Files.isRegularFile(model.resolve("transformer/transformer_config.yaml"))) {
            write(transformer, "bundled", Files.readAllBytes(model.resolve("transformer/transformer_config.yaml")));
            write(tokenizer, "bundled", Files.readAllBytes(model.resolve("tokenizer/tokenizer_config.yaml")));
        }
        write(transformer, "minimal", ("{\"vocab_size\": 16, \"hidden_size\": 8, \"num_layers\": 1, \"num_attention_heads\": 2,"
                + " \"rotary_embedding_base\": 10000, \"sequence_length\": 8, \"mlp_factor\": 2.0, \"norm\": \"rms\","
                + " \"mlp_type\": \"swiglu\", \"bias_terms\": false, \"embedding_aggregation\": \"sum\", \"precision\": \"bfloat16\"}")
                .getBytes(StandardCharsets.UTF_8));
        write(transformer, "duplicate_key", "{\"vocab_size\": 1, \"vocab_size\": 2}".getBytes(StandardCharsets.UTF_8));
        write(transformer, "deep", ("[".repeat(5000)).getBytes(StandardCharsets.UTF_8));
        write(tokenizer, "minimal", ("{\"lowercase\": false, \"vocab_size\": 16, \"sequence_length\": 8, \"vocab_population\": 2,"
                + " \"vocab_population_partial_lowercase\": 1, \"initialize\": \"hash\", \"entire_words\": false,"
                + " \"end_of_text\": \"<|endoftext|>\", \"seed\": 42, \"word_edge_weight\": 1.0}").getBytes(StandardCharsets.UTF_8));
        write(tokenizer, "huge_number", "{\"vocab_size\": 1e999999}".getBytes(StandardCharsets.UTF_8));
    }

    private static void npys(Path dir) throws IOException {
        Path tmp = Files.createTempFile("seed", ".npy");
        Npy.writeFloats(tmp, new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3);
        write(dir, "f4_2x3", Files.readAllBytes(tmp));
        Npy.writeFloats(tmp, new float[] {7f}, 1);
        write(dir, "f4_1", Files.readAllBytes(tmp));
        Files.delete(tmp);
        write(dir, "i8_v2", npy(2, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", 16));
        write(dir, "huge_shape", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776,), }", 8));
        write(dir, "bad_dim", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2x,), }", 8));
    }

    private static void safetensors(Path dir) throws IOException {
        write(dir, "two_tensors", safetensorsFile("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"I8\",\"shape\":[4],\"data_offsets\":[16,20]}}", 20));
        write(dir, "bf16_scalar", safetensorsFile("{\"s\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[0,2]}}", 2));
        write(dir, "huge_shape", safetensorsFile("{\"a\":{\"dtype\":\"F32\",\"shape\":[1099511627776],\"data_offsets\":[0,8]}}", 8));
        write(dir, "overlap", safetensorsFile("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}", 6));
        byte[] lying = safetensorsFile("{}", 0);
        ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        write(dir, "header_length_2e40", lying);
    }

    private static byte[] safetensorsFile(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (int i = 0; i < dataBytes; i++) b.put((byte) (i * 13));
        return b.array();
    }

    private static void convertedConfigs(Path dir) throws IOException {
        String transformer = "{\"vocab_size\": 16, \"hidden_size\": 8, \"num_layers\": 1, \"num_attention_heads\": 2,"
                + " \"rotary_embedding_base\": 10000, \"sequence_length\": 8, \"mlp_factor\": 2.0, \"norm\": \"rms\","
                + " \"mlp_type\": \"swiglu\", \"bias_terms\": false, \"embedding_aggregation\": \"sum\", \"precision\": \"bfloat16\"}";
        String tokenizer = "{\"lowercase\": false, \"vocab_size\": 16, \"sequence_length\": 8, \"vocab_population\": 2,"
                + " \"vocab_population_partial_lowercase\": 1, \"initialize\": \"hash\", \"entire_words\": false,"
                + " \"end_of_text\": \"<|endoftext|>\", \"seed\": 42, \"word_edge_weight\": 1.0}";
        write(dir, "minimal", ("{\"format\": \"tfree4j-model\", \"version\": 1, \"activations\": \"a16\", \"transformer\": "
                + transformer + ", \"tokenizer\": " + tokenizer + "}").getBytes(StandardCharsets.UTF_8));
        write(dir, "wrong_version", "{\"format\": \"tfree4j-model\", \"version\": 2}".getBytes(StandardCharsets.UTF_8));
    }

    private static void hatConfigs(Path dir) throws IOException {
        String fixture = Files.readString(HAT_TINY_A.resolve("config.json"));
        write(dir, "hat_tiny_a", fixture.getBytes(StandardCharsets.UTF_8));
        write(dir, "llama3_no_cross_every_layer", fixture
                .replace("\"sliding_window\": null,\n    \"rope_scaling\": {\n      \"rope_type\": \"default\"\n    }",
                        "\"sliding_window\": null, \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0,"
                        + " \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192}")
                .replace("\"cross_attn_every_layer\": true", "\"cross_attn_every_layer\": false")
                .getBytes(StandardCharsets.UTF_8));
        write(dir, "huge_layers", fixture.replace("\"num_hidden_layers\": 4", "\"num_hidden_layers\": 2147483647")
                .getBytes(StandardCharsets.UTF_8));
        write(dir, "kv_heads_not_dividing", fixture.replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3")
                .getBytes(StandardCharsets.UTF_8));
        write(dir, "duplicate_key", "{\"model_type\": \"hierarchical_autoregressive_transformer\", \"model_type\": \"x\"}"
                .getBytes(StandardCharsets.UTF_8));
        write(dir, "sub_config_not_object", "{\"model_type\": \"hierarchical_autoregressive_transformer\", \"encoder_config\": []}"
                .getBytes(StandardCharsets.UTF_8));
        write(dir, "deep", ("{\"special_token_dict\": " + "[".repeat(5000)).getBytes(StandardCharsets.UTF_8));
    }

    private static void hatIndexes(Path dir) throws IOException {
        String fixture = Files.readString(HAT_TINY_A.resolve("model.safetensors.index.json"));
        String shard1 = "\"model-00001-of-00002.safetensors\"";
        String shard2 = "\"model-00002-of-00002.safetensors\"";
        write(dir, "hat_tiny_a", fixture.getBytes(StandardCharsets.UTF_8));
        write(dir, "traversal", fixture.replace("\"lm_head.weight\": " + shard2, "\"lm_head.weight\": \"../x.safetensors\"")
                .getBytes(StandardCharsets.UTF_8));
        write(dir, "wrong_shard", fixture.replace("\"lm_head.weight\": " + shard2, "\"lm_head.weight\": " + shard1)
                .getBytes(StandardCharsets.UTF_8));
        write(dir, "duplicate_tensor", fixture.replace("\"lm_head.weight\": " + shard2,
                "\"lm_head.weight\": " + shard2 + ", \"lm_head.weight\": " + shard2).getBytes(StandardCharsets.UTF_8));
        write(dir, "missing_shard", fixture.replace(shard2, "\"model-00003-of-00003.safetensors\"").getBytes(StandardCharsets.UTF_8));
        write(dir, "unlisted_tensor", fixture.replace("\"lm_head.weight\": " + shard2 + "\n", "\n")
                .replace("\"layer_norm.weight\": " + shard2 + ",", "\"layer_norm.weight\": " + shard2)
                .getBytes(StandardCharsets.UTF_8));
        write(dir, "empty_map", "{\"metadata\": {\"total_size\": 0}, \"weight_map\": {}}".getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] npy(int major, String header, int dataBytes) {
        byte[] h = (header + "\n").getBytes(StandardCharsets.ISO_8859_1);
        int pre = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(pre + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}).put((byte) major).put((byte) 0);
        if (major == 1) b.putShort((short) h.length); else b.putInt(h.length);
        b.put(h);
        return b.array();
    }

    private static void write(Path dir, String name, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), bytes);
    }
}
