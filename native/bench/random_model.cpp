#include "random_model.h"

#include <cmath>

#include "dtype.h"

namespace bench {

namespace {

Fill fill_of(int32_t dtype) {
    switch (dtype) {
        case TF_DTYPE_BF16: return Fill::UNIFORM_BF16;
        case TF_DTYPE_F16: return Fill::UNIFORM_F16;
        case TF_DTYPE_I8: return Fill::INT8;
        default: return Fill::UNIFORM_F32;
    }
}

// Interleaved-pair RoPE table [positions, d/2, 2] (cos, sin), base 10000 (docs/spec/tfree.md §5).
std::vector<float> rope_table(int64_t positions, int64_t d) {
    std::vector<float> t(size_t(positions * d));
    for (int64_t p = 0; p < positions; ++p) {
        for (int64_t i = 0; i < d / 2; ++i) {
            const float inv = float(std::pow(10000.0, -double(2 * i) / double(d)));
            const float angle = float(p) * inv;
            t[size_t((p * (d / 2) + i) * 2)] = std::cos(angle);
            t[size_t((p * (d / 2) + i) * 2 + 1)] = std::sin(angle);
        }
    }
    return t;
}

}  // namespace

tf_matrix RandomWeights::add_matrix(int64_t rows, int64_t cols, float amplitude, int fill_threads, uint64_t seed) {
    const int64_t data_bytes = rows * cols * tf::dtype_size(dtype_);
    const int64_t scale_bytes = dtype_ == TF_DTYPE_I8 ? rows * int64_t(sizeof(float)) : 0;
    const int64_t data_offset = (scale_bytes + 63) / 64 * 64;  // data 64-byte aligned after the scales
    buffers_.emplace_back(size_t(data_offset + data_bytes));
    Buffer& b = buffers_.back();
    void* data = b.as<uint8_t>() + data_offset;
    tf_matrix m{};
    m.data = data;
    m.rows = rows;
    m.cols = cols;
    m.dtype = dtype_;
    if (dtype_ == TF_DTYPE_I8) {
        // int8 values uniform in [-127, 127] times amplitude/127: the same spread as the floats.
        float* scales = b.as<float>();
        for (int64_t r = 0; r < rows; ++r) scales[r] = amplitude / 127.0f;
        m.scales = scales;
    }
    fill_random(data, rows * cols, fill_of(dtype_), seed, fill_threads, amplitude);
    resident_bytes_ += data_bytes + scale_bytes;
    return m;
}

RandomWeights::RandomWeights(const ModelShape& s, int32_t dtype, int fill_threads, uint64_t seed)
    : shape_(s), dtype_(dtype) {
    const double t0 = now_seconds();
    const int64_t H = s.hidden, F = s.intermediate, V = s.vocab;
    ones_.assign(size_t(H), 1.0f);
    rope_ = rope_table(s.max_positions, s.head_dim());
    // Uniform in ±sqrt(3/cols): variance 1/cols, so every matmul output stays O(1).
    auto amp = [](int64_t cols) { return float(std::sqrt(3.0 / double(cols))); };
    uint64_t k = seed;
    for (int32_t l = 0; l < s.layers; ++l) {
        const std::string pre = "transformer.layers." + std::to_string(l) + ".";
        for (const char* name : {"attention.query", "attention.key", "attention.value", "attention.dense"}) {
            named_.emplace_back(pre + name + ".weight", add_matrix(H, H, amp(H), fill_threads, ++k));
        }
        named_.emplace_back(pre + "mlp.dense_in.weight", add_matrix(F, H, amp(H), fill_threads, ++k));
        named_.emplace_back(pre + "mlp.swiglu.weight", add_matrix(F, H, amp(H), fill_threads, ++k));
        named_.emplace_back(pre + "mlp.dense_out.weight", add_matrix(H, F, amp(F), fill_threads, ++k));
    }
    const tf_matrix head = add_matrix(V, H, amp(H), fill_threads, ++k);
    named_.emplace_back("lm_head.weight", head);
    streamed_bytes_ = resident_bytes_;
    named_.emplace_back("transformer.embeddings.embedding.weight", head);
    resident_bytes_ += H * 4;
    build_seconds_ = now_seconds() - t0;
}

tf_model* RandomWeights::create_model(tf_context* ctx, int32_t activation_mode) const {
    const ModelShape& s = shape_;
    tf_model_params p;
    tf_model_params_init(&p);
    p.vocab_size = s.vocab;
    p.hidden_size = s.hidden;
    p.n_layers = s.layers;
    p.n_heads = s.heads;
    p.intermediate_size = s.intermediate;
    p.max_positions = s.max_positions;
    p.rope_table = rope_.data();
    p.activation_mode = activation_mode;
    tf_model* model = nullptr;
    check(tf_model_create(ctx, &p, &model), "tf_model_create");
    try {
        const tf_matrix norm{ones_.data(), nullptr, 1, s.hidden, TF_DTYPE_F32};
        auto set = [&](const std::string& name, const tf_matrix& m) {
            check(tf_model_set_weight(model, name.c_str(), &m), ("tf_model_set_weight " + name).c_str());
        };
        for (int32_t l = 0; l < s.layers; ++l) {
            const std::string pre = "transformer.layers." + std::to_string(l) + ".";
            set(pre + "input_layernorm.weight", norm);
            set(pre + "post_attention_layernorm.weight", norm);
        }
        set("transformer.norm.weight", norm);
        for (const auto& [name, m] : named_) set(name, m);
        check(tf_model_finalize(model), "tf_model_finalize");
    } catch (...) {
        tf_model_free(model);
        throw;
    }
    return model;
}

int64_t RandomWeights::checkpoint_bytes() const {
    const int64_t matrix_rows = int64_t(shape_.layers) * (4 * int64_t(shape_.hidden) + 3 * shape_.intermediate) +
                                2 * int64_t(shape_.vocab);
    const int64_t scales = dtype_ == TF_DTYPE_I8 ? 4 * matrix_rows : 0;
    return shape_.total_params() * tf::dtype_size(dtype_) + scales;
}

}  // namespace bench
