// tf_stack on a CUDA context: the one layer loop driven through the CUDA backend table.
// Against the same stack on a scalar CPU context (test_stack.cpp checks that one against a
// double-precision forward written out):
//   - the backend's "supported" answers: rotate-half RoPE, a sliding window, non-causal
//     attention and grouped-query attention are refused at create with TF_ERR_UNSUPPORTED
//     naming the backend and the op (the same params create on the CPU);
//   - a stack it runs (interleaved RoPE from llama3-scaled frequencies, causal, one kv head
//     per head; with a head, and without head and final norm): prefill at explicit positions
//     with layer_outputs, decode steps, copy_prefix, truncate, a weight set after finalize;
//   - argument checks (the stack's one check, before any backend op): positions out of range,
//     a cache of another stack, a stack not finalized.
// Tolerance: max |cuda − cpu| <= 2e-4 · max |cpu| (as test_cuda_model.cpp, which says why).
// With the fake plugin the ops are the CPU kernels, so the check is the dispatch and data flow.
// Exits 77 (skipped) without a CUDA device (or plugin).
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "cuda_test_util.h"

namespace {

constexpr int32_t H = 64, NH = 4, F = 48, L = 2, V = 40, POS = 96;
constexpr double kTol = 2e-4;

struct Config {
    bool head = true;
    int32_t rope_kind = TF_ROPE_INTERLEAVED;
    int32_t attention_kind = TF_ATTENTION_CAUSAL;
    int32_t window = 0;
    int32_t n_kv_heads = 0;
};

tf_stack_params params_of(const Config& c) {
    tf_stack_params p;
    tf_stack_params_init(&p);
    p.hidden_size = H;
    p.n_layers = L;
    p.n_heads = NH;
    p.n_kv_heads = c.n_kv_heads;
    p.intermediate_size = F;
    p.max_positions = POS;
    p.rope_kind = c.rope_kind;
    p.rope_scaling = TF_ROPE_SCALING_LLAMA3;  // the table is built by tf_stack_create, then uploaded
    p.rope_original_max_positions = 32;
    p.attention_kind = c.attention_kind;
    p.window = c.window;
    p.final_norm = c.head ? 1 : 0;
    p.vocab_size = c.head ? V : 0;
    return p;
}

// The weights by name, kept alive for both stacks.
struct Weights {
    std::vector<std::pair<std::string, std::vector<float>>> tensors;
    std::vector<std::pair<int64_t, int64_t>> shapes;
    void add(const std::string& name, int64_t rows, int64_t cols, uint32_t seed, float lo, float hi) {
        tensors.emplace_back(name, tft::random_floats(size_t(rows * cols), seed, lo, hi));
        shapes.emplace_back(rows, cols);
    }
};

Weights make_weights(const Config& c) {
    Weights w;
    uint32_t seed = 77;
    const float a = 1.5f / std::sqrt(float(H)), b = 1.5f / std::sqrt(float(F));
    for (int l = 0; l < L; ++l) {
        const std::string p = "model.layers." + std::to_string(l) + ".";
        w.add(p + "input_layernorm.weight", 1, H, seed++, 0.8f, 1.2f);
        for (const char* n : {"self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                              "self_attn.o_proj.weight"})
            w.add(p + n, H, H, seed++, -a, a);
        w.add(p + "post_attention_layernorm.weight", 1, H, seed++, 0.8f, 1.2f);
        w.add(p + "mlp.gate_proj.weight", F, H, seed++, -a, a);
        w.add(p + "mlp.up_proj.weight", F, H, seed++, -a, a);
        w.add(p + "mlp.down_proj.weight", H, F, seed++, -b, b);
    }
    if (c.head) {
        w.add("model.norm.weight", 1, H, seed++, 0.8f, 1.2f);
        w.add("lm_head.weight", V, H, seed++, -a, a);
    }
    return w;
}

tf_stack* make_stack(tf_context* ctx, const Config& c, const Weights& w) {
    const tf_stack_params p = params_of(c);
    tf_stack* s = nullptr;
    TFT_CHECK_OK(tf_stack_create(ctx, &p, &s));
    if (s == nullptr) return nullptr;
    for (size_t i = 0; i < w.tensors.size(); ++i) {
        const tf_matrix m{w.tensors[i].second.data(), nullptr, w.shapes[i].first, w.shapes[i].second, TF_DTYPE_F32};
        TFT_CHECK_OK(tf_stack_set_weight(s, w.tensors[i].first.c_str(), &m));
    }
    TFT_CHECK_OK(tf_stack_finalize(s));
    return s;
}

void compare(const std::string& what, const std::vector<float>& gpu, const std::vector<float>& cpu) {
    double mx = 0, diff = 0;
    for (size_t i = 0; i < cpu.size(); ++i) {
        mx = std::fmax(mx, std::fabs(double(cpu[i])));
        const double d = std::fabs(double(gpu[i]) - double(cpu[i]));
        diff = std::isnan(d) ? INFINITY : std::fmax(diff, d);
    }
    if (!(diff <= kTol * mx) || cpu.empty()) {
        std::fprintf(stderr, "  %s: max diff %.3g > %.3g · max|cpu| %.3g\n", what.c_str(), diff, kTol, mx);
        ++tft::g_failures;
    }
}

// One stack on each context, a cache each.
struct Pair {
    tf_stack* cpu = nullptr;
    tf_stack* gpu = nullptr;
    tf_cache* cc = nullptr;
    tf_cache* gc = nullptr;
    int64_t width;
    Pair(tf_context* cpu_ctx, tf_context* gpu_ctx, const Config& c, const Weights& w) : width(c.head ? V : H) {
        cpu = make_stack(cpu_ctx, c, w);
        gpu = make_stack(gpu_ctx, c, w);
        TFT_CHECK_OK(tf_stack_cache_create(cpu, POS, &cc));
        TFT_CHECK_OK(tf_stack_cache_create(gpu, POS, &gc));
    }
    ~Pair() {
        tf_cache_free(cc);
        tf_cache_free(gc);
        tf_stack_free(cpu);
        tf_stack_free(gpu);
    }
    // The same forward on both; returns the CUDA side's status (the CPU's must match).
    tf_status both(const std::string& what, const float* in, int64_t n, const int32_t* pos, tf_forward_params* fp,
                   int64_t out_rows) {
        std::vector<float> og(size_t(out_rows * width)), oc(og.size());
        std::vector<float> lg, lc;
        tf_forward_params defaults;
        tf_forward_params_init(&defaults);
        tf_forward_params pg = fp ? *fp : defaults, pc = pg;
        if (fp != nullptr && fp->layer_outputs != nullptr) {
            lg.assign(size_t(L * n * H), 0.0f);
            lc = lg;
            pg.layer_outputs = lg.data();
            pc.layer_outputs = lc.data();
        }
        const tf_status sg = tf_stack_forward(gpu, gc, in, n, pos, &pg, og.data());
        const std::string gpu_error = tf_last_error();
        const tf_status sc = tf_stack_forward(cpu, cc, in, n, pos, &pc, oc.data());
        TFT_CHECK(sg == sc);
        if (sg != TF_OK) {
            TFT_CHECK(gpu_error == tf_last_error());  // the same check, the same words
            return sg;
        }
        TFT_CHECK(tf_cache_length(gc) == tf_cache_length(cc));
        compare(what, og, oc);
        if (!lg.empty()) compare(what + " layer_outputs", lg, lc);
        return sg;
    }
};

void test_refusals(tf_context* cpu, tf_context* gpu) {
    struct Case {
        Config c;
        const char* op;
    };
    Config rotate, window, non_causal, gqa;
    rotate.rope_kind = TF_ROPE_ROTATE_HALF;
    window.window = 8;
    non_causal.attention_kind = TF_ATTENTION_NON_CAUSAL;
    gqa.n_kv_heads = 2;
    for (const Case& k : {Case{rotate, "rope: "}, Case{window, "attention: "}, Case{non_causal, "attention: "},
                          Case{gqa, "attention: "}}) {
        const tf_stack_params p = params_of(k.c);
        tf_stack* s = nullptr;
        const std::string want = std::string("tf_stack_create: the CUDA backend cannot run this stack: ") + k.op;
        TFT_CHECK(tft::has_error(tf_stack_create(gpu, &p, &s), TF_ERR_UNSUPPORTED, want.c_str()) && s == nullptr);
        TFT_CHECK_OK(tf_stack_create(cpu, &p, &s));  // the CPU backend runs every option
        tf_stack_free(s);
    }
}

void test_forward(tf_context* cpu, tf_context* gpu, const Config& c, const char* name) {
    const Weights w = make_weights(c);
    Pair p(cpu, gpu, c, w);
    const std::string at = std::string(name) + ": ";
    const std::vector<float> in = tft::random_floats(size_t(40 * H), 5, -1.0f, 1.0f);
    // Prefill of 12 rows at positions 5.. (explicit), with layer_outputs.
    std::vector<int32_t> pos(12);
    for (int i = 0; i < 12; ++i) pos[size_t(i)] = 5 + i;
    tf_forward_params fp;
    tf_forward_params_init(&fp);
    std::vector<float> marker(1);
    fp.layer_outputs = marker.data();  // replaced per side by Pair::both
    p.both(at + "prefill", in.data(), 12, pos.data(), &fp, 12);
    for (int step = 0; step < 2; ++step) {  // decode at the cache indices
        p.both(at + "decode " + std::to_string(step), in.data() + (12 + step) * H, 1, nullptr, nullptr, 1);
    }
    // AtMan controls, last row only.
    std::vector<float> ctrl(20, 1.0f);
    ctrl[3] = 0.0f;
    ctrl[7] = 0.5f;
    tf_forward_params cp;
    tf_forward_params_init(&cp);
    cp.key_control = ctrl.data();
    cp.control_mode = TF_CONTROL_LOG_ADD;
    cp.logits_rows = 1;
    p.both(at + "controls", in.data() + 14 * H, 6, nullptr, &cp, 1);
    // copy_prefix into fresh caches (2D copies of every (layer, head) block), then continue there.
    tf_cache *cc2 = nullptr, *gc2 = nullptr;
    TFT_CHECK_OK(tf_stack_cache_create(p.cpu, 32, &cc2));
    TFT_CHECK_OK(tf_stack_cache_create(p.gpu, 32, &gc2));
    TFT_CHECK_OK(tf_cache_copy_prefix(cc2, p.cc, 9));
    TFT_CHECK_OK(tf_cache_copy_prefix(gc2, p.gc, 9));
    std::swap(cc2, p.cc);
    std::swap(gc2, p.gc);
    p.both(at + "after copy_prefix", in.data() + 30 * H, 3, nullptr, nullptr, 3);
    std::swap(cc2, p.cc);
    std::swap(gc2, p.gc);
    tf_cache_free(cc2);
    tf_cache_free(gc2);
    // Truncate, then a weight set after finalize: the device copy is refreshed before the next forward.
    TFT_CHECK_OK(tf_cache_truncate(p.cc, 4));
    TFT_CHECK_OK(tf_cache_truncate(p.gc, 4));
    std::vector<float> other = tft::random_floats(size_t(H * H), 999, -0.2f, 0.2f);
    const tf_matrix m{other.data(), nullptr, H, H, TF_DTYPE_F32};
    TFT_CHECK_OK(tf_stack_set_weight(p.cpu, "model.layers.1.self_attn.o_proj.weight", &m));
    TFT_CHECK_OK(tf_stack_set_weight(p.gpu, "model.layers.1.self_attn.o_proj.weight", &m));
    p.both(at + "after truncate and a new weight", in.data() + 20 * H, 5, nullptr, nullptr, 5);

    // Argument checks: the same errors on both sides, nothing run.
    std::vector<int32_t> bad{0, POS};
    TFT_CHECK(p.both(at + "bad position", in.data(), 2, bad.data(), nullptr, 2) == TF_ERR_OUT_OF_RANGE);
    TFT_CHECK(std::strstr(tf_last_error(), "positions[1]") != nullptr);
    tf_cache* foreign = nullptr;
    TFT_CHECK_OK(tf_stack_cache_create(p.cpu, 8, &foreign));
    std::vector<float> out(size_t(p.width));
    TFT_CHECK(tft::has_error(tf_stack_forward(p.gpu, foreign, in.data(), 1, nullptr, nullptr, out.data()),
                             TF_ERR_INVALID_ARGUMENT, "another model (or stack)"));
    tf_cache_free(foreign);
    TFT_CHECK(tf_cache_length(p.gc) == tf_cache_length(p.cc));
}

void test_not_finalized(tf_context* gpu) {
    const tf_stack_params p = params_of(Config{});
    tf_stack* s = nullptr;
    TFT_CHECK_OK(tf_stack_create(gpu, &p, &s));
    tf_cache* c = nullptr;
    TFT_CHECK_OK(tf_stack_cache_create(s, 8, &c));
    std::vector<float> in(H), out(V);
    TFT_CHECK(tft::has_error(tf_stack_forward(s, c, in.data(), 1, nullptr, nullptr, out.data()), TF_ERR_STATE,
                             "not finalized"));
    TFT_CHECK(tft::has_error(tf_stack_finalize(s), TF_ERR_STATE, "has not been set"));
    tf_cache_free(c);
    tf_stack_free(s);
}

}  // namespace

int main() {
    tf_context* gpu = tfc_test::cuda_context_or_skip("test_cuda_stack");
    if (gpu == nullptr) return tfc_test::kSkipped;
    tf_context* cpu = tft::make_context(TF_SIMD_SCALAR, 2);
    test_refusals(cpu, gpu);
    Config with_head;
    test_forward(cpu, gpu, with_head, "with head");
    Config bare;
    bare.head = false;
    test_forward(cpu, gpu, bare, "no head, no final norm");
    test_not_finalized(gpu);
    tf_context_free(cpu);
    tf_context_free(gpu);
    return tft::finish("test_cuda_stack");
}
