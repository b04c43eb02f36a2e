#include "kernel_bench.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>

#include "bench_util.h"
#include "cpu_wait.h"
#include "dtype.h"

namespace bench {

namespace {

std::string shape_text(int64_t m, int64_t rows, int64_t cols) {
    return "m=" + std::to_string(m) + " [" + std::to_string(rows) + "x" + std::to_string(cols) + "]";
}

// The limits a kernel row is compared with (looked up again when the limits are re-measured).
double read_bw(const MachineLimits& l) { return l.read_bandwidth.value; }
double f32_peak(const MachineLimits& l) { return l.f32_peak.value; }
double i8_peak(const MachineLimits& l) { return l.i8_peak.value; }

// Times `calls` calls of fn(i) per repetition after one warm-up pass; per-call seconds.
// *cpu_wait: the share of `threads` threads' time spent waiting for a CPU meanwhile.
Stats time_calls(int reps, int64_t calls, int threads, double* cpu_wait, const std::function<void(int64_t)>& fn) {
    for (int64_t i = 0; i < calls; ++i) fn(i);
    const WaitMeter wait;
    std::vector<double> per_call;
    for (int r = 0; r < std::max(1, reps); ++r) {
        const double t0 = now_seconds();
        for (int64_t i = 0; i < calls; ++i) fn(i);
        per_call.push_back((now_seconds() - t0) / double(calls));
    }
    *cpu_wait = wait.share(threads);
    return stats_of(per_call);
}

Fill fill_of(int32_t dtype) {
    switch (dtype) {
        case TF_DTYPE_BF16: return Fill::UNIFORM_BF16;
        case TF_DTYPE_F16: return Fill::UNIFORM_F16;
        case TF_DTYPE_I8: return Fill::INT8;
        default: return Fill::UNIFORM_F32;
    }
}

// `copies` random matrices [rows, cols] of one dtype in one buffer (shared int8 scales).
struct MatrixCopies {
    Buffer data;
    std::vector<float> scales;
    std::vector<tf_matrix> mats;

    MatrixCopies(int32_t dtype, int64_t rows, int64_t cols, int64_t copies, int threads, uint64_t seed) {
        const int64_t bytes = rows * cols * tf::dtype_size(dtype);
        const int64_t stride = (bytes + 4095) / 4096 * 4096;
        data = Buffer(size_t(stride * copies));
        for (int64_t c = 0; c < copies; ++c) {
            fill_random(data.as<uint8_t>() + c * stride, rows * cols, fill_of(dtype), seed + uint64_t(c), threads, 0.05f);
        }
        scales.assign(size_t(rows), 0.01f);
        for (int64_t c = 0; c < copies; ++c) {
            tf_matrix m{};
            m.data = data.as<uint8_t>() + c * stride;
            m.scales = dtype == TF_DTYPE_I8 ? scales.data() : nullptr;
            m.rows = rows;
            m.cols = cols;
            m.dtype = dtype;
            mats.push_back(m);
        }
    }
};

using MatmulFn = tf_status (*)(tf_context*, const float*, int64_t, const tf_matrix*, float*);

void matmul_rows(const KernelBenchConfig& cfg, tf_context* ctx, int threads, int32_t dtype,
                 bool a8, int64_t rows, int64_t cols, const char* what, Report& report) {
    const MatmulFn fn = a8 ? tf_matmul_a8 : tf_matmul;
    const std::string name = a8 ? "matmul_a8" : "matmul";
    const std::string dt = std::string(tf::dtype_name(dtype)) + (a8 ? " a8" : "");
    const double bytes = double(rows * cols * tf::dtype_size(dtype)) + (dtype == TF_DTYPE_I8 ? 4.0 * rows : 0.0);
    const int64_t copies = std::max<int64_t>(1, int64_t((double(cfg.cold_bytes) + bytes - 1) / bytes));
    std::fprintf(stderr, "[kernels] %s %s %s [%lldx%lld]\n", name.c_str(), dt.c_str(), what, (long long)rows,
                 (long long)cols);
    {
        MatrixCopies w(dtype, rows, cols, copies, threads, cfg.seed);
        std::vector<float> x(static_cast<size_t>(cols)), y(static_cast<size_t>(rows));
        fill_random(x.data(), cols, Fill::UNIFORM_F32, cfg.seed + 7, 1, 1.0f);
        double wait = 0;
        const Stats st = time_calls(cfg.reps, copies, threads, &wait, [&](int64_t i) {
            check(fn(ctx, x.data(), 1, &w.mats[size_t(i)], y.data()), name.c_str());
        });
        KernelRow k{name + " gemv", shape_text(1, rows, cols) + " " + what, dt, threads, st, bytes, 2.0 * rows * cols,
                    "", 0, std::to_string(copies) + " copies (" + format_bytes(bytes * double(copies)) + ") cycled",
                    wait, "read BW", "GB/s", read_bw, bytes / st.mean / 1e9};
        report.kernels.push_back(k);
    }
    if (cfg.gemm_m > 0) {
        const int64_t m = cfg.gemm_m;
        MatrixCopies w(dtype, rows, cols, 1, threads, cfg.seed);
        std::vector<float> x(static_cast<size_t>(m * cols)), y(static_cast<size_t>(m * rows));
        fill_random(x.data(), m * cols, Fill::UNIFORM_F32, cfg.seed + 8, threads, 1.0f);
        double wait = 0;
        const Stats st = time_calls(cfg.reps, 1, threads, &wait, [&](int64_t) {
            check(fn(ctx, x.data(), m, &w.mats[0], y.data()), name.c_str());
        });
        const double ops = 2.0 * double(m) * double(rows) * double(cols);
        KernelRow k{name + " gemm", shape_text(m, rows, cols) + " " + what, dt, threads, st, 0, ops, "", 0, "",
                    wait, a8 ? "int8 peak" : "f32 peak", a8 ? "GOP/s" : "GFLOP/s", a8 ? i8_peak : f32_peak,
                    ops / st.mean / 1e9};
        report.kernels.push_back(k);
    }
}

// A synthetic dictionary shaped like the real ones (docs/spec/tfree.md §6.1): words of 1..10 characters,
// k trigrams each, P ids per trigram: P·(k−2) non-edge ids, P·min(k, 2) edge ids, n(w) = k.
void word_scores_row(const KernelBenchConfig& cfg, tf_context* ctx, int threads,
                     Report& report) {
    const int64_t n = cfg.dict_words, P = cfg.shape.population, V = cfg.shape.vocab;
    std::vector<int64_t> offsets(static_cast<size_t>(n + 1)), edge_offsets(static_cast<size_t>(n + 1));
    std::vector<int32_t> n_trigrams(static_cast<size_t>(n));
    std::vector<int32_t> lengths(static_cast<size_t>(n));
    fill_random(lengths.data(), n, Fill::INT32_BELOW, cfg.seed + 11, threads, 0, 10);
    for (int64_t w = 0; w < n; ++w) {
        const int64_t k = lengths[size_t(w)] + 1;
        n_trigrams[size_t(w)] = int32_t(k);
        offsets[size_t(w + 1)] = offsets[size_t(w)] + P * std::max<int64_t>(0, k - 2);
        edge_offsets[size_t(w + 1)] = edge_offsets[size_t(w)] + P * std::min<int64_t>(k, 2);
    }
    std::vector<int32_t> ids(static_cast<size_t>(std::max<int64_t>(1, offsets[size_t(n)])));
    std::vector<int32_t> edge_ids(static_cast<size_t>(std::max<int64_t>(1, edge_offsets[size_t(n)])));
    fill_random(ids.data(), int64_t(ids.size()), Fill::INT32_BELOW, cfg.seed + 12, threads, 0, int32_t(V));
    fill_random(edge_ids.data(), int64_t(edge_ids.size()), Fill::INT32_BELOW, cfg.seed + 13, threads, 0, int32_t(V));
    std::vector<float> logits(static_cast<size_t>(V)), scores(static_cast<size_t>(n));
    fill_random(logits.data(), V, Fill::UNIFORM_F32, cfg.seed + 14, 1, 4.0f);
    tf_word_patterns p{offsets.data(), ids.data(), edge_offsets.data(), edge_ids.data(), n_trigrams.data(), n};
    // The baseline of both rows: the CSR pattern arrays, each read once.
    const double bytes = 8.0 * 2 * double(n + 1) + 4.0 * double(offsets[size_t(n)] + edge_offsets[size_t(n)]) +
                         4.0 * double(n);
    const double ids_per_word = double(offsets[size_t(n)] + edge_offsets[size_t(n)]) / double(n);
    const std::string shape = std::to_string(n) + " words, V=" + std::to_string(V) + ", P=" + std::to_string(P);
    // A call scoring `rows` rows is bounded by streaming the CSR once per row.
    auto add_row = [&](const std::string& kernel, const Stats& st, double wait, const std::string& layout,
                       int64_t rows = 1) {
        char note[240];
        std::snprintf(note, sizeof note,
                      "%.2f ids/word, %s of CSR patterns%s, time = 1 / (of limit) x streaming the CSR once per row, "
                      "target <= 2x",
                      ids_per_word, format_bytes(bytes).c_str(), layout.c_str());
        const double row_bytes = double(rows) * bytes;
        report.kernels.push_back(KernelRow{kernel, shape, "f32", threads, st, row_bytes, 0, "", 0, note, wait,
                                           "read BW", "GB/s", read_bw, row_bytes / st.mean / 1e9});
    };
    // tf_dictionary_scores: the packed layout, built once (not timed).
    std::fprintf(stderr, "[kernels] word_scores %lld words (tf_dictionary)\n", (long long)n);
    tf_dictionary* dict = nullptr;
    check(tf_dictionary_create(ctx, &p, V, int32_t(P), &dict), "tf_dictionary_create");
    double wait = 0;
    Stats st = time_calls(cfg.reps, 1, threads, &wait, [&](int64_t) {
        check(tf_dictionary_scores(dict, logits.data(), 1, 1.0f, scores.data()), "tf_dictionary_scores");
    });
    add_row("word_scores", st, wait, ", packed " + format_bytes(double(tf_dictionary_bytes(dict))));
    // Eight rows per call (explanations and divergence score many rows): the rows kernel,
    // which reads each id's value for all eight rows at once. Its bound is eight rows' worth
    // of streaming the CSR once, so "of limit" compares per-row time with the one-row row.
    {
        constexpr int64_t R = 8;
        std::vector<float> logits_r(static_cast<size_t>(R * V)), scores_r(static_cast<size_t>(R * n));
        fill_random(logits_r.data(), R * V, Fill::UNIFORM_F32, cfg.seed + 15, 1, 4.0f);
        std::fprintf(stderr, "[kernels] word_scores %lld words, %lld rows per call (tf_dictionary)\n", (long long)n,
                     (long long)R);
        const Stats sr = time_calls(cfg.reps, 1, threads, &wait, [&](int64_t) {
            check(tf_dictionary_scores(dict, logits_r.data(), R, 1.0f, scores_r.data()), "tf_dictionary_scores");
        });
        add_row("word_scores x8", sr, wait, ", " + std::to_string(R) + " rows per call (time per call)", R);
    }
    tf_dictionary_free(dict);
    // The same scores with tf_word_scores straight from the CSR arrays, for a same-run ratio.
    std::fprintf(stderr, "[kernels] word_scores %lld words (tf_word_scores, CSR)\n", (long long)n);
    st = time_calls(cfg.reps, 1, threads, &wait, [&](int64_t) {
        check(tf_word_scores(ctx, logits.data(), V, &p, int32_t(P), 1.0f, scores.data()), "tf_word_scores");
    });
    add_row("word_scores csr", st, wait, ", tf_word_scores");
}

// One query against kv_len cached keys and values ([kv_len, H] f32), as a decode step does.
void attention_row(const KernelBenchConfig& cfg, tf_context* ctx, int threads,
                   int64_t kv_len, Report& report) {
    const int64_t H = cfg.shape.hidden;
    const int32_t heads = cfg.shape.heads, d = int32_t(cfg.shape.head_dim());
    const double bytes = 2.0 * double(kv_len) * double(H) * 4.0;
    const int64_t copies = std::max<int64_t>(1, int64_t((double(cfg.cold_bytes) + bytes - 1) / bytes));
    std::fprintf(stderr, "[kernels] attention decode kv=%lld\n", (long long)kv_len);
    const int64_t elems = kv_len * H;
    Buffer kv(size_t(2 * elems * 4 * copies));
    fill_random(kv.data(), 2 * elems * copies, Fill::UNIFORM_F32, cfg.seed + 21, threads, 1.0f);
    std::vector<float> q(static_cast<size_t>(H)), out(static_cast<size_t>(H));
    fill_random(q.data(), H, Fill::UNIFORM_F32, cfg.seed + 22, 1, 1.0f);
    double wait = 0;
    const Stats st = time_calls(cfg.reps, copies, threads, &wait, [&](int64_t i) {
        const float* k = kv.as<float>() + 2 * elems * i;
        check(tf_attention(ctx, q.data(), 1, kv_len - 1, k, k + elems, kv_len, heads, d, nullptr, TF_CONTROL_NONE,
                           out.data()),
              "tf_attention");
    });
    KernelRow k{"attention decode", "kv=" + std::to_string(kv_len) + ", heads=" + std::to_string(heads) +
                                        ", d=" + std::to_string(d),
                "f32", threads, st, bytes, 4.0 * double(kv_len) * double(H), "", 0,
                std::to_string(copies) + " copies (" + format_bytes(bytes * double(copies)) + ") cycled", wait,
                "read BW", "GB/s", read_bw, bytes / st.mean / 1e9};
    report.kernels.push_back(k);
}

}  // namespace

void run_kernel_bench(const KernelBenchConfig& cfg, tf_context* ctx, Report& report) {
    const ModelShape& s = cfg.shape;
    const int threads = tf_context_threads(ctx);
    struct Mat {
        int64_t rows, cols;
        const char* what;
    };
    const Mat mats[] = {{s.hidden, s.hidden, "(attention q/k/v/dense)"},
                        {s.intermediate, s.hidden, "(mlp in/swiglu)"},
                        {s.hidden, s.intermediate, "(mlp out)"},
                        {s.vocab, s.hidden, "(lm_head)"}};
    for (int32_t dtype : cfg.dtypes) {
        for (const Mat& m : mats) matmul_rows(cfg, ctx, threads, dtype, false, m.rows, m.cols, m.what, report);
        if (cfg.a8 && dtype == TF_DTYPE_I8) {
            for (const Mat& m : mats) matmul_rows(cfg, ctx, threads, dtype, true, m.rows, m.cols, m.what, report);
        }
    }
    if (cfg.dict_words > 0) word_scores_row(cfg, ctx, threads, report);
    for (int64_t kv : cfg.kv_lens) {
        if (kv >= 1 && kv <= s.max_positions) attention_row(cfg, ctx, threads, kv, report);
    }
}

}  // namespace bench
