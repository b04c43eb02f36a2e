#include "model_bench.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "bench_util.h"
#include "cpu_wait.h"
#include "dtype.h"
#include "memory_usage.h"
#include "model.h"
#include "random_model.h"

namespace bench {

double decode_bound_words_per_s(const ModelShape& s, int64_t streamed_weight_bytes, int n_gen, double read_gbps) {
    // Step t (cache length t before it) reads every matrix once and the keys and values of
    // positions 0..t of every layer (f32).
    const double kv_per_position = 2.0 * s.layers * double(s.hidden) * 4.0;
    double bytes = 0;
    for (int t = 0; t < n_gen; ++t) bytes += double(streamed_weight_bytes) + kv_per_position * (t + 1);
    return double(n_gen) / (bytes / (read_gbps * 1e9));
}

double prefill_bound_words_per_s(const ModelShape& s, int n_prompt, double matrix_gops, double f32_gflops) {
    const double H = s.hidden, F = s.intermediate, V = s.vocab, p = n_prompt;
    // Matrices: 2 operations per multiply-add; the head runs for the last word only.
    const double matrix_ops = 2.0 * p * s.layers * (4 * H * H + 3 * F * H) + 2.0 * V * H;
    // Attention: query i sees i+1 keys; q·k and p·v are 2·H operations per key each.
    const double attention_ops = s.layers * 4.0 * H * p * (p + 1) / 2.0;
    const double seconds = matrix_ops / (matrix_gops * 1e9) + attention_ops / (f32_gflops * 1e9);
    return p / seconds;
}

namespace {

const char* simd_name(int32_t s) {
    switch (s) {
        case TF_SIMD_SCALAR: return "scalar";
        case TF_SIMD_AVX2: return "avx2";
        case TF_SIMD_AVX512: return "avx512";
        default: return "?";
    }
}

struct ContextGuard {
    tf_context* ctx = nullptr;
    ~ContextGuard() { tf_context_free(ctx); }
};
struct ModelGuard {
    tf_model* model = nullptr;
    ~ModelGuard() { tf_model_free(model); }
};
struct CacheGuard {
    tf_cache* cache = nullptr;
    ~CacheGuard() { tf_cache_free(cache); }
};

// Scratch bytes of a cache after its forwards (read from the internal struct).
int64_t scratch_bytes(const tf_cache* c) {
    const size_t floats = c->x.capacity() + c->h.capacity() + c->q.capacity() + c->att.capacity() +
                          c->gate.capacity() + c->up.capacity();
    return int64_t(floats * sizeof(float) + c->positions.capacity() * sizeof(int32_t)) +
           int64_t(c->attn_slots) * c->capacity * int64_t(sizeof(float));
}

}  // namespace

// Repetitions of each adjacent peak measurement (each ~0.2 s; the start/end limits use more).
constexpr int ADJACENT_PEAK_REPS = 2;

void run_model_bench(const ModelBenchConfig& cfg, const MachineLimits& limits, Report& report) {
    const ModelShape& s = cfg.shape;
    const bool a8 = cfg.activation_mode == TF_ACT_INT8;
    const std::string label = "tfree " + s.name + " " + tf::dtype_name(cfg.dtype) + (a8 ? " a8" : "");
    const int max_threads = *std::max_element(cfg.threads.begin(), cfg.threads.end());
    const int max_p = *std::max_element(cfg.n_prompt.begin(), cfg.n_prompt.end());
    const int max_n = *std::max_element(cfg.n_gen.begin(), cfg.n_gen.end());
    const int capacity = std::max(1, std::max(max_p, max_n));
    if (capacity > s.max_positions) {
        throw std::invalid_argument("-p/-n " + std::to_string(capacity) + " exceeds the model's sequence length " +
                                    std::to_string(s.max_positions));
    }

    const bool rss_reset = reset_peak_rss();
    std::fprintf(stderr, "[%s] generating random weights...\n", label.c_str());
    const RandomWeights weights(s, cfg.dtype, max_threads, cfg.seed);
    std::fprintf(stderr, "[%s] %s of weights in %.1f s\n", label.c_str(),
                 format_bytes(double(weights.resident_bytes())).c_str(), weights.build_seconds());

    // Random input embeddings, one row per word of the longest test.
    const int64_t H = s.hidden;
    std::vector<float> emb(static_cast<size_t>(capacity * H));
    fill_random(emb.data(), int64_t(emb.size()), Fill::UNIFORM_F32, cfg.seed + 99, max_threads, 1.0f);
    std::vector<float> logits(static_cast<size_t>(s.vocab));
    tf_forward_params last_only;
    tf_forward_params_init(&last_only);
    last_only.logits_rows = 1;

    bool memory_recorded = false;
    for (int threads : cfg.threads) {
        ContextGuard ctx;
        tf_context_params cp;
        tf_context_params_init(&cp);
        cp.n_threads = threads;
        cp.simd = cfg.simd;
        cp.backend = cfg.backend;
        cp.device = cfg.device;
        check(tf_context_create(&cp, &ctx.ctx), "tf_context_create");
        ModelGuard model{weights.create_model(ctx.ctx, cfg.activation_mode)};
        CacheGuard cache;
        check(tf_cache_create(model.model, capacity, &cache.cache), "tf_cache_create");
        const bool gpu = cfg.backend == TF_BACKEND_CUDA;
        const std::string backend = gpu ? cfg.backend_name : std::string("CPU/") + simd_name(tf_context_simd(ctx.ctx));

        auto prefill = [&](int p) {
            check(tf_cache_truncate(cache.cache, 0), "tf_cache_truncate");
            check(tf_model_forward(model.model, cache.cache, emb.data(), p, &last_only, logits.data()),
                  "tf_model_forward (prefill)");
        };
        auto decode = [&](int n) {
            check(tf_cache_truncate(cache.cache, 0), "tf_cache_truncate");
            for (int i = 0; i < n; ++i) {
                check(tf_model_forward(model.model, cache.cache, emb.data() + size_t(i) * size_t(H), 1, &last_only,
                                       logits.data()),
                      "tf_model_forward (decode)");
            }
        };
        auto measure = [&](const std::string& test, int n_prompt, int n_gen, auto&& run) {
            std::vector<double> secs, ts, peaks;
            const int words = n_prompt + n_gen;
            // The adjacent peak: the matrix peak before every repetition and after the last
            // (not inside the timed region; the peak loops need no memory, so RSS is untouched).
            const bool adjacent = cfg.adjacent && !gpu && n_gen == 0;
            auto adjacent_peak = [&] {
                if (adjacent) peaks.push_back(measure_peak(a8, threads, ADJACENT_PEAK_REPS));
            };
            adjacent_peak();
            double waited = 0;  // Σ per repetition: its CPU-wait share × its seconds
            for (int r = 0; r < cfg.reps; ++r) {
                const WaitMeter wait;  // per repetition, so the peak loops between them do not count
                const double t0 = now_seconds();
                run();
                secs.push_back(now_seconds() - t0);
                waited += wait.share(threads) * secs.back();
                ts.push_back(words / secs.back());
                std::fprintf(stderr, "[%s] t=%d %s rep %d/%d: %.3f s, %.2f t/s\n", label.c_str(), threads,
                             test.c_str(), r + 1, cfg.reps, secs.back(), ts.back());
                adjacent_peak();
            }
            ModelRow row;
            row.model = label;
            row.size_bytes = weights.checkpoint_bytes();
            row.params = s.total_params();
            row.backend = backend;
            row.threads = threads;
            row.test = test;
            row.n_prompt = n_prompt;
            row.n_gen = n_gen;
            double total = 0;
            for (double x : secs) total += x;
            row.cpu_wait = total > 0 ? waited / total : 0;
            row.seconds = stats_of(secs);
            row.words_per_s = stats_of(ts);
            if (n_gen > 0) {
                const int64_t streamed = weights.streamed_bytes();
                row.bound_of = [s, streamed, n_gen](const MachineLimits& l) {
                    return decode_bound_words_per_s(s, streamed, n_gen, l.read_bandwidth.value);
                };
                row.bound = gpu ? "HBM read BW" : "read BW";
            } else {
                row.bound_of = [s, n_prompt, a8](const MachineLimits& l) {
                    return prefill_bound_words_per_s(s, n_prompt, a8 ? l.i8_peak.value : l.f32_peak.value,
                                                     l.f32_peak.value);
                };
                row.bound = gpu ? (a8 ? "int8 TC peak" : "bf16 TC peak") : (a8 ? "int8 peak" : "f32 peak");
            }
            row.bound_ts = row.bound_of(limits);
            if (adjacent) {
                std::vector<double> fractions;
                for (int r = 0; r < cfg.reps; ++r) {
                    MachineLimits around = limits;
                    (a8 ? around.i8_peak : around.f32_peak).value = 0.5 * (peaks[size_t(r)] + peaks[size_t(r) + 1]);
                    fractions.push_back(ts[size_t(r)] / row.bound_of(around));
                }
                row.adjacent_fraction = stats_of(fractions);
                const auto [lo, hi] = std::minmax_element(peaks.begin(), peaks.end());
                row.peak_drift = (*hi - *lo) / *hi;
            }
            report.models.push_back(row);
        };

        for (int p : cfg.n_prompt) {
            if (p <= 0) continue;
            if (cfg.warmup) prefill(p);
            measure("pp" + std::to_string(p), p, 0, [&] { prefill(p); });
        }
        for (int n : cfg.n_gen) {
            if (n <= 0) continue;
            if (cfg.warmup) decode(1);
            measure("tg" + std::to_string(n), 0, n, [&] { decode(n); });
        }
        if (!memory_recorded) {
            MemoryRow m;
            m.model = label;
            m.weights = weights.resident_bytes();
            m.kv_cache = 2 * int64_t(s.layers) * capacity * H * int64_t(sizeof(float));
            m.scratch = gpu ? 0 : scratch_bytes(cache.cache);  // device scratch is not visible here
            m.peak_rss = peak_rss_bytes();
            m.rss_reset = rss_reset;
            report.memory.push_back(m);
            memory_recorded = true;
        }
    }
}

}  // namespace bench
