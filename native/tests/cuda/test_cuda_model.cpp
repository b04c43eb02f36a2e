// The model forward on a CUDA context against the same model on a scalar CPU context (which
// test_model.cpp checks against a double-precision forward). A small random model
// (V 300, H 128, 2 heads of 64, F 200, 2 layers, 600 positions) in four precisions: f32,
// bf16, int8 W8A32 and int8 W8A8. Checked: a 300-word prefill (two 256-row chunks on the
// device) with layer_outputs / final_hidden captures, decode steps (GEMV and split-K
// attention), AtMan controls (LOG_ADD, MULT, layer_mask, logits_rows), copy_prefix and
// truncate on device caches, a batched forward of three items, tf_model_embed, a NaN
// input in W8A8 (refused, cache length unchanged), and contexts freed before their models and
// caches.
// Tolerance: max |gpu − cpu| <= tol · max |cpu| per output. The device's GEMMs split x into
// two halves of the MMA precision (~2^-16 relative residual at worst, bf16) and sum in other
// orders than the CPU (attention, norms in double vs tree): errors of ~1e-6 relative per op,
// through 2 layers: tol = 2e-4 (the Java parity tests' own 1e-4 scale). W8A8 re-quantizes
// activations per row, where a one-ulp upstream difference can move a q value by one step
// (1/127 of the row's scale): 2e-2. Decode rows use the f32 GEMV but attend over keys written
// by the prefill: same tolerances.
// Exits 77 (skipped) without a CUDA device.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "cuda_test_util.h"
#include "dtype.h"

namespace {

constexpr int32_t V = 300, H = 128, NH = 2, D = H / NH, F = 200, L = 2, POS = 600, P = 3;

std::vector<float> rope_table() {
    std::vector<float> t(size_t(POS) * D);
    for (int p = 0; p < POS; ++p)
        for (int i = 0; i < D / 2; ++i) {
            const float angle = float(p) * (1.0f / std::pow(10000.f, float(2 * i) / float(D)));
            t[size_t(p * D + 2 * i)] = std::cos(angle);
            t[size_t(p * D + 2 * i + 1)] = std::sin(angle);
        }
    return t;
}

// Host storage of one model's weights (kept alive while the models exist).
struct Weights {
    std::vector<std::vector<float>> f32;
    std::vector<std::vector<uint16_t>> half;
    std::vector<std::vector<int8_t>> i8;
    std::vector<std::vector<float>> scales;
};

struct Pair {
    tf_model* cpu = nullptr;
    tf_model* gpu = nullptr;
    double tol = 0;
    std::string name;
};

void set_both(Pair& m, const std::string& name, const tf_matrix& w) {
    TFT_CHECK_OK(tf_model_set_weight(m.cpu, name.c_str(), &w));
    TFT_CHECK_OK(tf_model_set_weight(m.gpu, name.c_str(), &w));
}

// A matrix of the requested dtype, scaled so that activations stay O(1).
tf_matrix make_matrix(Weights& ws, int64_t rows, int64_t cols, int32_t dtype, uint32_t seed) {
    const float a = 1.5f / std::sqrt(float(cols));
    std::vector<float> r = tft::random_floats(size_t(rows * cols), seed, -a, a);
    if (dtype == TF_DTYPE_F32) {
        ws.f32.push_back(r);
        return tf_matrix{ws.f32.back().data(), nullptr, rows, cols, dtype};
    }
    if (dtype == TF_DTYPE_BF16) {
        std::vector<uint16_t> h;
        for (float v : r) h.push_back(tf::f32_to_bf16(v));
        ws.half.push_back(h);
        return tf_matrix{ws.half.back().data(), nullptr, rows, cols, dtype};
    }
    std::vector<int8_t> q(r.size());
    std::vector<float> s(static_cast<size_t>(rows));
    for (int64_t i = 0; i < rows; ++i) {
        float amax = 0;
        for (int64_t c = 0; c < cols; ++c) amax = std::fmax(amax, std::fabs(r[size_t(i * cols + c)]));
        s[size_t(i)] = amax / 127.0f;
        for (int64_t c = 0; c < cols; ++c) q[size_t(i * cols + c)] = int8_t(std::lround(r[size_t(i * cols + c)] / s[size_t(i)]));
    }
    ws.i8.push_back(q);
    ws.scales.push_back(s);
    return tf_matrix{ws.i8.back().data(), ws.scales.back().data(), rows, cols, dtype};
}

Pair make_pair(tf_context* cpu, tf_context* gpu, Weights& ws, int32_t dtype, int32_t act, const std::vector<float>& rope,
               double tol, const char* name) {
    ws.f32.reserve(64);
    ws.half.reserve(64);
    ws.i8.reserve(64);
    ws.scales.reserve(64);
    tf_model_params p;
    tf_model_params_init(&p);
    p.vocab_size = V;
    p.hidden_size = H;
    p.n_layers = L;
    p.n_heads = NH;
    p.intermediate_size = F;
    p.max_positions = POS;
    p.rope_table = rope.data();
    p.activation_mode = act;
    Pair m;
    m.tol = tol;
    m.name = name;
    TFT_CHECK_OK(tf_model_create(cpu, &p, &m.cpu));
    TFT_CHECK_OK(tf_model_create(gpu, &p, &m.gpu));
    uint32_t seed = 1000;
    auto norm = [&](const std::string& n) {
        ws.f32.push_back(tft::random_floats(H, seed++, 0.8f, 1.2f));
        set_both(m, n, tf_matrix{ws.f32.back().data(), nullptr, 1, H, TF_DTYPE_F32});
    };
    set_both(m, "transformer.embeddings.embedding.weight", make_matrix(ws, V, H, dtype, seed++));
    for (int l = 0; l < L; ++l) {
        const std::string pre = "transformer.layers." + std::to_string(l) + ".";
        norm(pre + "input_layernorm.weight");
        for (const char* n : {"attention.query.weight", "attention.key.weight", "attention.value.weight", "attention.dense.weight"})
            set_both(m, pre + n, make_matrix(ws, H, H, dtype, seed++));
        norm(pre + "post_attention_layernorm.weight");
        set_both(m, pre + "mlp.dense_in.weight", make_matrix(ws, F, H, dtype, seed++));
        set_both(m, pre + "mlp.swiglu.weight", make_matrix(ws, F, H, dtype, seed++));
        set_both(m, pre + "mlp.dense_out.weight", make_matrix(ws, H, F, dtype, seed++));
    }
    norm("transformer.norm.weight");
    set_both(m, "lm_head.weight", make_matrix(ws, V, H, dtype, seed++));
    TFT_CHECK_OK(tf_model_finalize(m.cpu));
    TFT_CHECK_OK(tf_model_finalize(m.gpu));
    return m;
}

void compare(const Pair& m, const std::string& what, const std::vector<float>& gpu, const std::vector<float>& cpu) {
    double mx = 0, diff = 0;
    size_t worst = 0;
    for (size_t i = 0; i < cpu.size(); ++i) {
        mx = std::fmax(mx, std::fabs(double(cpu[i])));
        const double d = std::fabs(double(gpu[i]) - double(cpu[i]));
        if (!(d <= diff)) {
            diff = std::isnan(d) ? INFINITY : d;
            worst = i;
        }
    }
    if (!(diff <= m.tol * mx) || cpu.empty()) {
        std::fprintf(stderr, "  %s %s: max diff %.3g > %.3g · max|cpu| %.3g (at %zu: %.6g vs %.6g)\n", m.name.c_str(),
                     what.c_str(), diff, m.tol, mx, worst, cpu.empty() ? 0.0 : double(gpu[worst]),
                     cpu.empty() ? 0.0 : double(cpu[worst]));
        ++tft::g_failures;
    }
}

struct Caches {
    tf_cache* cpu = nullptr;
    tf_cache* gpu = nullptr;
    Caches(const Pair& m, int32_t cap) {
        TFT_CHECK_OK(tf_cache_create(m.cpu, cap, &cpu));
        TFT_CHECK_OK(tf_cache_create(m.gpu, cap, &gpu));
    }
    ~Caches() {
        tf_cache_free(cpu);
        tf_cache_free(gpu);
    }
};

// Runs the same forward on both sides and compares logits (and captures when asked).
void forward_both(const Pair& m, Caches& c, const std::vector<float>& emb, int64_t n, const tf_forward_params* fp,
                  const std::string& what) {
    const int64_t rows = fp && fp->logits_rows > 0 && fp->logits_rows < n ? fp->logits_rows : n;
    std::vector<float> lg(size_t(rows * V)), lc(lg.size());
    TFT_CHECK_OK(tf_model_forward(m.gpu, c.gpu, emb.data(), n, fp, lg.data()));
    TFT_CHECK_OK(tf_model_forward(m.cpu, c.cpu, emb.data(), n, fp, lc.data()));
    TFT_CHECK(tf_cache_length(c.gpu) == tf_cache_length(c.cpu));
    compare(m, what + " logits", lg, lc);
}

void test_model(const Pair& m) {
    // Embeddings of 300 "words" through the model's own table, on both sides: same bits.
    const int64_t n = 300;
    std::vector<int32_t> ids(size_t(n * 2 * P)), row_word(size_t(n * 2));
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = int32_t((i * 131 + 7) % V);
    for (int64_t r = 0; r < n * 2; ++r) row_word[size_t(r)] = int32_t(r / 2);
    std::vector<float> emb(size_t(n * H)), emb_cpu(emb.size());
    TFT_CHECK_OK(tf_model_embed(m.gpu, ids.data(), n * 2, P, row_word.data(), n, emb.data()));
    TFT_CHECK_OK(tf_model_embed(m.cpu, ids.data(), n * 2, P, row_word.data(), n, emb_cpu.data()));
    tfc_test::bit_equal((m.name + " embed").c_str(), emb.data(), emb_cpu.data(), emb.size() * sizeof(float));
    ids[0] = V;  // validated like tf_embed_sum
    TFT_CHECK(tf_model_embed(m.gpu, ids.data(), n * 2, P, row_word.data(), n, emb.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(std::strstr(tf_last_error(), "tf_model_embed: tf_embed_sum: ids[0]") != nullptr);
    emb = emb_cpu;

    {  // prefill with captures, then decode steps
        Caches c(m, POS);
        tf_forward_params fp;
        tf_forward_params_init(&fp);
        std::vector<float> lo(size_t(L * n * H)), lo_cpu(lo.size()), fh(size_t(n * H)), fh_cpu(fh.size());
        std::vector<float> lg(size_t(n * V)), lc(lg.size());
        fp.layer_outputs = lo.data();
        fp.final_hidden = fh.data();
        TFT_CHECK_OK(tf_model_forward(m.gpu, c.gpu, emb.data(), n, &fp, lg.data()));
        fp.layer_outputs = lo_cpu.data();
        fp.final_hidden = fh_cpu.data();
        TFT_CHECK_OK(tf_model_forward(m.cpu, c.cpu, emb.data(), n, &fp, lc.data()));
        compare(m, "prefill logits", lg, lc);
        compare(m, "prefill layer_outputs", lo, lo_cpu);
        compare(m, "prefill final_hidden", fh, fh_cpu);
        TFT_CHECK(tf_cache_length(c.gpu) == n);
        for (int step = 0; step < 3; ++step) {
            std::vector<float> e(emb.begin() + step * H, emb.begin() + (step + 1) * H);
            forward_both(m, c, e, 1, nullptr, "decode step " + std::to_string(step));
        }
        // truncate, then a 3-row forward on top (rows 10..12 again)
        TFT_CHECK_OK(tf_cache_truncate(c.gpu, 10));
        TFT_CHECK_OK(tf_cache_truncate(c.cpu, 10));
        std::vector<float> e3(emb.begin() + 10 * H, emb.begin() + 13 * H);
        forward_both(m, c, e3, 3, nullptr, "after truncate");

        // copy_prefix into a fresh cache, continue there
        Caches c2(m, 64);
        TFT_CHECK_OK(tf_cache_copy_prefix(c2.gpu, c.gpu, 12));
        TFT_CHECK_OK(tf_cache_copy_prefix(c2.cpu, c.cpu, 12));
        TFT_CHECK(tf_cache_length(c2.gpu) == 12);
        std::vector<float> e5(emb.begin() + 40 * H, emb.begin() + 45 * H);
        forward_both(m, c2, e5, 5, nullptr, "after copy_prefix");
    }
    {  // AtMan controls on a 40-word prefill, last logits row only
        std::vector<float> ctrl(40, 1.0f);
        for (int t = 7; t < 40; t += 5) ctrl[size_t(t)] = t % 2 ? 0.0f : 0.3f;
        const uint8_t mask[L] = {1, 0};
        for (int32_t mode : {TF_CONTROL_LOG_ADD, TF_CONTROL_MULT}) {
            for (const uint8_t* lm : {static_cast<const uint8_t*>(nullptr), mask}) {
                Caches c(m, 64);
                tf_forward_params fp;
                tf_forward_params_init(&fp);
                fp.key_control = ctrl.data();
                fp.control_mode = mode;
                fp.layer_mask = lm;
                fp.logits_rows = 1;
                std::vector<float> e(emb.begin(), emb.begin() + 40 * H);
                forward_both(m, c, e, 40, &fp,
                             std::string("control mode ") + std::to_string(mode) + (lm ? " masked" : ""));
            }
        }
    }
    {  // a batch of three items (different lengths and params) vs the CPU's batch
        Caches a(m, 64), b(m, 64), c(m, 64);
        const int64_t ns[3] = {4, 1, 7};
        std::vector<float> e0(emb.begin(), emb.begin() + 4 * H), e1(emb.begin() + 50 * H, emb.begin() + 51 * H),
            e2(emb.begin() + 60 * H, emb.begin() + 67 * H);
        std::vector<float> ctrl(7, 1.0f);
        ctrl[2] = 0.0f;
        tf_forward_params p2;
        tf_forward_params_init(&p2);
        p2.key_control = ctrl.data();
        p2.control_mode = TF_CONTROL_LOG_ADD;
        p2.logits_rows = 2;
        const tf_forward_params* params[3] = {nullptr, nullptr, &p2};
        const float* embs[3] = {e0.data(), e1.data(), e2.data()};
        std::vector<float> g0(4 * V), g1(V), g2(2 * V), c0(g0.size()), c1(g1.size()), c2(g2.size());
        tf_cache* gc[3] = {a.gpu, b.gpu, c.gpu};
        tf_cache* cc[3] = {a.cpu, b.cpu, c.cpu};
        float* gl[3] = {g0.data(), g1.data(), g2.data()};
        float* cl[3] = {c0.data(), c1.data(), c2.data()};
        TFT_CHECK_OK(tf_model_forward_batch(m.gpu, 3, gc, embs, ns, params, gl));
        TFT_CHECK_OK(tf_model_forward_batch(m.cpu, 3, cc, embs, ns, params, cl));
        compare(m, "batch item 0", g0, c0);
        compare(m, "batch item 1", g1, c1);
        compare(m, "batch item 2", g2, c2);
        TFT_CHECK(tf_cache_length(c.gpu) == 7);
    }
}

void test_w8a8_nan(const Pair& m) {
    Caches c(m, 8);
    std::vector<float> e(size_t(2 * H), 0.5f), lg(size_t(2 * V));
    e[size_t(H + 3)] = NAN;
    TFT_CHECK(tf_model_forward(m.gpu, c.gpu, e.data(), 2, nullptr, lg.data()) == TF_ERR_INVALID_ARGUMENT);
    TFT_CHECK(std::strstr(tf_last_error(), "NaN") != nullptr);
    TFT_CHECK(tf_cache_length(c.gpu) == 0);
}

// Models and caches keep their context alive, so the caller may free the contexts first: the
// caches then still continue their sequences (a decode step on each side, compared), the
// caches outlive their models, and the frees that come last (the plugin's cache and model
// frees lock the device the context owns) find the device alive. Before the contexts were
// reference-counted this read freed memory (./build.sh sanitize reports it).
void test_context_freed_first(const std::vector<float>& rope) {
    tf_context* gpu = tfc_test::cuda_context_or_skip("test_cuda_model (context freed first)");
    tf_context* cpu = tft::make_context(TF_SIMD_SCALAR, 2);
    Weights ws;
    Pair m = make_pair(cpu, gpu, ws, TF_DTYPE_F32, TF_ACT_FLOAT, rope, 2e-4, "context freed first");
    auto* c = new Caches(m, 8);
    const std::vector<float> e = tft::random_floats(size_t(4 * H), 4242, -1.0f, 1.0f);
    forward_both(m, *c, std::vector<float>(e.begin(), e.begin() + 3 * H), 3, nullptr, "prefill");
    tf_context_free(cpu);
    tf_context_free(gpu);
    forward_both(m, *c, std::vector<float>(e.begin() + 3 * H, e.end()), 1, nullptr, "decode after tf_context_free");
    TFT_CHECK(tf_cache_length(c->gpu) == 4);
    tf_model_free(m.cpu);
    tf_model_free(m.gpu);
    delete c;  // the last references: the contexts go here
}

// A tf_stack with options the plugin lacks (the defaults' rotate-half RoPE) is refused at
// create, naming the backend and the op, never run (test_cuda_stack.cpp checks every option).
void test_stack_refused(tf_context* gpu) {
    tf_stack_params p;
    tf_stack_params_init(&p);
    p.hidden_size = H;
    p.n_layers = 1;
    p.n_heads = 2;
    p.intermediate_size = 8;
    p.max_positions = 8;
    tf_stack* s = nullptr;
    TFT_CHECK(tft::has_error(tf_stack_create(gpu, &p, &s), TF_ERR_UNSUPPORTED,
                             "tf_stack_create: the CUDA backend cannot run this stack: rope: ") &&
              s == nullptr);
}

}  // namespace

int main() {
    tf_context* gpu = tfc_test::cuda_context_or_skip("test_cuda_model");
    if (gpu == nullptr) return tfc_test::kSkipped;
    tf_context* cpu = tft::make_context(TF_SIMD_SCALAR, 2);
    test_stack_refused(gpu);
    const std::vector<float> rope = rope_table();
    struct Variant {
        int32_t dtype, act;
        double tol;
        const char* name;
    };
    const Variant variants[] = {{TF_DTYPE_F32, TF_ACT_FLOAT, 2e-4, "f32"},
                                {TF_DTYPE_BF16, TF_ACT_FLOAT, 2e-4, "bf16"},
                                {TF_DTYPE_I8, TF_ACT_FLOAT, 2e-4, "i8 W8A32"},
                                {TF_DTYPE_I8, TF_ACT_INT8, 2e-2, "i8 W8A8"}};
    for (const Variant& v : variants) {
        Weights ws;
        Pair m = make_pair(cpu, gpu, ws, v.dtype, v.act, rope, v.tol, v.name);
        test_model(m);
        if (v.act == TF_ACT_INT8) test_w8a8_nan(m);
        std::printf("  %s: done\n", v.name);
        tf_model_free(m.cpu);
        tf_model_free(m.gpu);
    }
    tf_context_free(cpu);
    tf_context_free(gpu);
    test_context_freed_first(rope);
    std::printf("  context freed first: done\n");
    return tft::finish("test_cuda_model");
}
