// Batch invariance: tf_model_forward_batch gives every item the bits of its own
// tf_model_forward call, whatever the other items of the batch are (continuous batching in the
// server relies on it: a request's words must not depend on what shares its steps).
//
// For every SIMD level this CPU has, 1 and 3 threads, and each weight mode the model supports
// (f32, bf16, f16, int8 W8A32, int8 W8A8), batches of 2 .. 16 items mixing one-row decode items
// at different cache lengths with short and long (> 32 rows) prefills are run twice (two consecutive steps, so the keys and values a batch wrote are used
// again) and compared bit for bit (memcmp) with each item run alone.
#include <algorithm>
#include <list>
#include <string>
#include <vector>

#include "dtype.h"
#include "test_util.h"

namespace {

// Small but odd sizes: hidden 48 and intermediate 100 leave column tails after every SIMD width.
constexpr int32_t V = 70, H = 48, L = 2, NH = 4, F = 100, POS = 128;
constexpr float EPS = 1e-5f;

enum Mode { F32, BF16, F16, W8A32, W8A8 };
const char* mode_name(Mode m) {
    switch (m) {
        case F32: return "f32";
        case BF16: return "bf16";
        case F16: return "f16";
        case W8A32: return "int8 W8A32";
        default: return "int8 W8A8";
    }
}

struct Model {
    std::list<std::vector<uint8_t>> storage;  // weights, read in place by the model
    std::vector<float> rope;
    tf_model* model = nullptr;
    ~Model() { tf_model_free(model); }
};

std::string layer_name(int l, const char* what) { return "transformer.layers." + std::to_string(l) + "." + what; }

void build(Model& m, tf_context* ctx, Mode mode, uint32_t seed) {
    const int32_t d = H / NH;
    m.rope.resize(size_t(POS) * d);
    for (int p = 0; p < POS; ++p)
        for (int i = 0; i < d / 2; ++i) {
            const float angle = float(p) * (1.0f / std::pow(10000.f, float(2 * i) / float(d)));
            m.rope[size_t(p * d + 2 * i)] = std::cos(angle);
            m.rope[size_t(p * d + 2 * i + 1)] = std::sin(angle);
        }
    tf_model_params p;
    tf_model_params_init(&p);
    p.vocab_size = V;
    p.hidden_size = H;
    p.n_layers = L;
    p.n_heads = NH;
    p.intermediate_size = F;
    p.max_positions = POS;
    p.norm_eps = EPS;
    p.rope_table = m.rope.data();
    p.activation_mode = mode == W8A8 ? TF_ACT_INT8 : TF_ACT_FLOAT;
    TFT_CHECK_OK(tf_model_create(ctx, &p, &m.model));
    std::mt19937 rng(seed);
    auto matrix = [&](const std::string& name, int64_t rows, int64_t cols) {
        const float a = std::sqrt(3.0f / float(cols)) * 2.f;
        std::uniform_real_distribution<float> u(-a, a);
        std::vector<float> vals(size_t(rows * cols));
        for (float& v : vals) v = u(rng);
        tf_matrix w{nullptr, nullptr, rows, cols, TF_DTYPE_F32};
        if (mode == W8A32 || mode == W8A8) {
            std::vector<uint8_t>& q = m.storage.emplace_back(vals.size());
            std::vector<uint8_t>& s = m.storage.emplace_back(size_t(rows) * 4);
            const tf_matrix src{vals.data(), nullptr, rows, cols, TF_DTYPE_F32};
            TFT_CHECK_OK(tf_quantize_rows(ctx, &src, reinterpret_cast<int8_t*>(q.data()),
                                          reinterpret_cast<float*>(s.data())));
            w = tf_matrix{q.data(), reinterpret_cast<float*>(s.data()), rows, cols, TF_DTYPE_I8};
        } else if (mode == F32) {
            std::vector<uint8_t>& b = m.storage.emplace_back(vals.size() * 4);
            std::memcpy(b.data(), vals.data(), b.size());
            w.data = b.data();
        } else {
            std::vector<uint8_t>& b = m.storage.emplace_back(vals.size() * 2);
            for (size_t e = 0; e < vals.size(); ++e) {
                const uint16_t h = mode == BF16 ? tf::f32_to_bf16(vals[e]) : tf::f32_to_f16(vals[e]);
                std::memcpy(b.data() + 2 * e, &h, 2);
            }
            w.data = b.data();
            w.dtype = mode == BF16 ? TF_DTYPE_BF16 : TF_DTYPE_F16;
        }
        TFT_CHECK_OK(tf_model_set_weight(m.model, name.c_str(), &w));
    };
    auto norm = [&](const std::string& name) {
        std::uniform_real_distribution<float> u(0.5f, 1.5f);
        std::vector<uint8_t>& b = m.storage.emplace_back(size_t(H) * 4);
        for (int c = 0; c < H; ++c) {
            const float v = u(rng);
            std::memcpy(b.data() + 4 * c, &v, 4);
        }
        const tf_matrix w{b.data(), nullptr, 1, H, TF_DTYPE_F32};
        TFT_CHECK_OK(tf_model_set_weight(m.model, name.c_str(), &w));
    };
    matrix("transformer.embeddings.embedding.weight", V, H);
    for (int l = 0; l < L; ++l) {
        norm(layer_name(l, "input_layernorm.weight"));
        matrix(layer_name(l, "attention.query.weight"), H, H);
        matrix(layer_name(l, "attention.key.weight"), H, H);
        matrix(layer_name(l, "attention.value.weight"), H, H);
        matrix(layer_name(l, "attention.dense.weight"), H, H);
        norm(layer_name(l, "post_attention_layernorm.weight"));
        matrix(layer_name(l, "mlp.dense_in.weight"), F, H);
        matrix(layer_name(l, "mlp.swiglu.weight"), F, H);
        matrix(layer_name(l, "mlp.dense_out.weight"), H, F);
    }
    norm("transformer.norm.weight");
    matrix("lm_head.weight", V, H);
    TFT_CHECK_OK(tf_model_finalize(m.model));
}

// One item of a batch: a sequence with `prefix` positions already cached (run alone before),
// then `step1` and `step2` new positions run in two consecutive calls.
struct Item {
    int64_t prefix, step1, step2;
    int32_t logits_rows;  // 0 = all rows, k = the last k
};

int64_t out_rows(int64_t n, int32_t k) { return k == 0 ? n : std::min<int64_t>(k, n); }

// Runs the items alone (reference) and batched, and compares every step's logits bit for bit.
void check_batch(const char* where, Model& m, const std::vector<Item>& items, uint32_t seed) {
    const size_t B = items.size();
    std::vector<std::vector<float>> emb(B);
    for (size_t b = 0; b < B; ++b) {
        const Item& it = items[b];
        emb[b] = tft::random_floats(size_t((it.prefix + it.step1 + it.step2) * H), seed + uint32_t(b), -1.5f, 1.5f);
    }
    std::vector<tf_cache*> alone(B), together(B);
    for (size_t b = 0; b < B; ++b) {
        TFT_CHECK_OK(tf_cache_create(m.model, POS, &alone[b]));
        TFT_CHECK_OK(tf_cache_create(m.model, POS, &together[b]));
        if (items[b].prefix > 0) {
            std::vector<float> scratch(static_cast<size_t>(V));
            tf_forward_params p;
            tf_forward_params_init(&p);
            p.logits_rows = 1;
            TFT_CHECK_OK(tf_model_forward(m.model, alone[b], emb[b].data(), items[b].prefix, &p, scratch.data()));
            TFT_CHECK_OK(tf_model_forward(m.model, together[b], emb[b].data(), items[b].prefix, &p, scratch.data()));
        }
    }
    for (int step = 0; step < 2; ++step) {
        std::vector<std::vector<float>> want(B), got(B);
        std::vector<tf_forward_params> params(B);
        std::vector<const tf_forward_params*> pp(B);
        std::vector<const float*> embs(B);
        std::vector<int64_t> ns(B);
        std::vector<float*> outs(B);
        for (size_t b = 0; b < B; ++b) {
            const Item& it = items[b];
            const int64_t n = step == 0 ? it.step1 : it.step2;
            const int64_t at = step == 0 ? it.prefix : it.prefix + it.step1;
            tf_forward_params_init(&params[b]);
            params[b].logits_rows = it.logits_rows;
            pp[b] = &params[b];
            embs[b] = emb[b].data() + at * H;
            ns[b] = n;
            want[b].assign(size_t(out_rows(n, it.logits_rows) * V), NAN);
            got[b].assign(want[b].size(), -NAN);
            outs[b] = got[b].data();
            TFT_CHECK_OK(tf_model_forward(m.model, alone[b], embs[b], n, &params[b], want[b].data()));
        }
        TFT_CHECK_OK(tf_model_forward_batch(m.model, int32_t(B), together.data(), embs.data(), ns.data(), pp.data(),
                                            outs.data()));
        for (size_t b = 0; b < B; ++b) {
            if (std::memcmp(want[b].data(), got[b].data(), want[b].size() * sizeof(float)) != 0) {
                size_t i = 0;
                while (std::memcmp(&want[b][i], &got[b][i], sizeof(float)) == 0) ++i;
                std::fprintf(stderr,
                             "  %s: batch of %zu, step %d, item %zu (prefix %lld, %lld rows): logit %zu is %.9g "
                             "batched, %.9g alone\n",
                             where, B, step, b, (long long)items[b].prefix, (long long)ns[b], i, double(got[b][i]),
                             double(want[b][i]));
                ++tft::g_failures;
            }
        }
    }
    for (size_t b = 0; b < B; ++b) {
        tf_cache_free(alone[b]);
        tf_cache_free(together[b]);
    }
}

void test_level(tf_context* ctx, const char* where) {
    for (Mode mode : {F32, BF16, F16, W8A32, W8A8}) {
        Model m;
        build(m, ctx, mode, 7 + uint32_t(mode));
        std::string label = std::string(where) + " " + mode_name(mode);
        std::mt19937 rng(42);
        // Decode batches: one row each, at different cache lengths.
        for (size_t B : {2, 5, 16}) {
            std::vector<Item> items;
            for (size_t b = 0; b < B; ++b) items.push_back({int64_t(rng() % 40), 1, 1, 0});
            check_batch(label.c_str(), m, items, 100 + uint32_t(B));
        }
        // Decode steps joined by new requests' prefills, short and long, a first step with no
        // prefix, prefills keeping only their last logits row (as generation asks).
        std::vector<Item> mixed = {{17, 1, 1, 0}, {0, 6, 1, 1}, {3, 1, 1, 0}, {0, 40, 1, 1},
                                   {30, 1, 1, 0}, {5, 3, 2, 0}, {0, 33, 1, 0}, {9, 1, 1, 0}};
        check_batch(label.c_str(), m, mixed, 300);
        // Many short multi-row items.
        std::vector<Item> many;
        for (int b = 0; b < 16; ++b) many.push_back({int64_t(rng() % 30), 3, 1, 0});
        check_batch(label.c_str(), m, many, 400);
    }
}

}  // namespace

int main() {
    for (const tft::LevelContext& lc : tft::contexts_at_every_level()) {
        const std::string where = std::string(tft::simd_name(lc.simd)) + " x" + std::to_string(lc.threads);
        std::printf("%s\n", where.c_str());
        test_level(lc.ctx, where.c_str());
        tf_context_free(lc.ctx);
    }
    return tft::finish("test_batch_invariance");
}
