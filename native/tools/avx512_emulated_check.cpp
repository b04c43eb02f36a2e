// Runs the AVX-512 int8 kernels (avx512/quantize_avx512.cpp, avx512/matmul_a8_avx512.cpp,
// avx512vnni/matmul_a8_vnni.cpp, with the prefill GEMM of avx512/gemm_a8_avx512.h) and the
// dictionary kernel (avx512/dictionary_avx512.cpp) on a CPU WITHOUT AVX-512 — compiled against
// SIMDe's portable
// emulation of the intrinsics (simde_avx512_shim.h) — and compares them bit for bit with a
// plain reference written here (the one of native/tests/test_quantize.cpp). Not part of the
// build or of ctest (it needs Debian's libsimde-dev): run native/tools/avx512_emulated_check.sh.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "dictionary_layout.h"
#include "dtype.h"
#include "kernels.h"
namespace {

int failures = 0;

double round_half_away(double t) {
    const double a = std::floor(std::fabs(t) + 0.5);
    return t < 0 ? -a : a;
}

// The plain quantizer; false for a non-finite row.
bool reference_row(const float* v, int64_t cols, int8_t* q, float* scale) {
    float amax = 0.0f;
    for (int64_t c = 0; c < cols; ++c) {
        if (!std::isfinite(v[c])) return false;
        amax = std::max(amax, std::fabs(v[c]));
    }
    const float s = amax / 127.0f;
    *scale = s;
    for (int64_t c = 0; c < cols; ++c)
        q[c] = int8_t(std::min(127.0, std::max(-127.0, s == 0.0f ? 0.0 : round_half_away(double(v[c] / s)))));
    return true;
}

void check_quantize() {
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    int cases = 0;
    for (int32_t dtype : {TF_DTYPE_F32, TF_DTYPE_BF16, TF_DTYPE_F16}) {
        for (int64_t cols : {1, 5, 15, 16, 17, 33, 64, 100, 257}) {
            const int64_t rows = 5;
            std::vector<float> v(size_t(rows * cols));
            for (float& x : v) x = u(rng) * (dtype == TF_DTYPE_F16 ? 4.0f : 1e3f);
            v[size_t(cols / 2)] = 2.5f * (v[0] > 0 ? 1.0f : -1.0f);  // some exact halves too
            for (int64_t c = 0; c < cols; ++c) v[size_t(3 * cols + c)] = 0.0f;  // an all-zero row
            std::vector<uint16_t> h(v.size());
            for (size_t k = 0; k < v.size(); ++k) {
                if (dtype == TF_DTYPE_BF16) v[k] = tf::bf16_to_f32(h[k] = tf::f32_to_bf16(v[k]));
                if (dtype == TF_DTYPE_F16) v[k] = tf::f16_to_f32(h[k] = tf::f32_to_f16(v[k]));
            }
            const tf_matrix m{dtype == TF_DTYPE_F32 ? static_cast<const void*>(v.data()) : h.data(), nullptr, rows,
                              cols, dtype};
            std::vector<int8_t> q(v.size(), 99), want(v.size());
            std::vector<float> s(static_cast<size_t>(rows)), want_s(static_cast<size_t>(rows));
            for (int64_t r = 0; r < rows; ++r) reference_row(v.data() + r * cols, cols, want.data() + r * cols, &want_s[size_t(r)]);
            const int64_t bad = tf::avx512::quantize_rows(m, q.data(), s.data(), 0, rows);
            ++cases;
            if (bad != -1 || q != want || s != want_s) {
                std::printf("quantize %s cols=%lld differs (bad row %lld)\n", tf::dtype_name(dtype), (long long)cols,
                            (long long)bad);
                ++failures;
            }
            v[size_t(2 * cols + cols - 1)] = NAN;  // the last element of row 2: a masked tail lane
            if (dtype == TF_DTYPE_F32 && tf::avx512::quantize_rows(m, q.data(), s.data(), 0, rows) != 2) {
                std::printf("quantize: NaN in row 2 not reported\n");
                ++failures;
            }
        }
    }
    std::printf("avx512 quantize_rows: %d cases\n", cases);
}

void check_a8() {
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> wd(-128, 127), xd(-127, 127);
    int cases = 0;
    struct Shape {
        int64_t m, rows, cols;
    };
    std::vector<Shape> shapes;
    for (int64_t m : {1, 2, 3, 5, 17})
        for (int64_t cols : {1, 31, 63, 64, 65, 100, 129, 700})
            for (int64_t rows : {1, 4, 7, 67}) shapes.push_back({m, rows, cols});
    // The prefill GEMM's edges (avx512/gemm_a8_avx512.h: panels of 32 rows in blocks of 64,
    // 256-column blocks, 24-row x blocks in 8-row tiles).
    for (const Shape& sh : std::vector<Shape>{{8, 32, 256}, {9, 31, 257}, {15, 33, 511}, {24, 64, 513},
                                              {25, 65, 2}, {31, 97, 777}, {50, 130, 1031}})
        shapes.push_back(sh);
    for (const Shape& sh : shapes) {
        {
            {
                const int64_t m = sh.m, rows = sh.rows, cols = sh.cols;
                std::vector<int8_t> w(size_t(rows * cols)), x(size_t(m * cols));
                for (auto& e : w) e = int8_t(wd(rng));
                for (auto& e : x) e = int8_t(xd(rng));
                std::vector<float> sw(static_cast<size_t>(rows)), sx(static_cast<size_t>(m));
                for (auto& e : sw) e = 0.001f + float(rng() % 1000) * 1e-5f;
                for (auto& e : sx) e = 0.01f + float(rng() % 1000) * 1e-4f;
                std::vector<float> want(size_t(m * rows));
                for (int64_t i = 0; i < m; ++i)
                    for (int64_t r = 0; r < rows; ++r) {
                        int64_t acc = 0;
                        for (int64_t c = 0; c < cols; ++c) acc += int64_t(x[size_t(i * cols + c)]) * w[size_t(r * cols + c)];
                        want[size_t(i * rows + r)] = float(acc) * sx[size_t(i)] * sw[size_t(r)];
                    }
                const tf_matrix wm{w.data(), sw.data(), rows, cols, TF_DTYPE_I8};
                std::vector<float> y(want.size(), NAN), yv(want.size(), NAN);
                tf::avx512::matmul_a8_rows(x.data(), sx.data(), m, wm, y.data(), 0, rows);
                tf::avx512vnni::matmul_a8_rows(x.data(), sx.data(), m, wm, yv.data(), 0, rows);
                ++cases;
                if (std::memcmp(y.data(), want.data(), y.size() * 4) != 0) {
                    std::printf("avx512 a8 m=%lld rows=%lld cols=%lld differs\n", (long long)m, (long long)rows,
                                (long long)cols);
                    ++failures;
                }
                if (std::memcmp(yv.data(), want.data(), yv.size() * 4) != 0) {
                    std::printf("vnni a8 m=%lld rows=%lld cols=%lld differs\n", (long long)m, (long long)rows,
                                (long long)cols);
                    ++failures;
                }
            }
        }
    }
    // The int32 limit: 131072 columns of 127 · -128 (and 127 · 127).
    const int64_t cols = 131072;
    std::vector<int8_t> w(size_t(2 * cols)), x(size_t(cols), 127);
    for (int64_t c = 0; c < cols; ++c) {
        w[size_t(c)] = -128;
        w[size_t(cols + c)] = 127;
    }
    const std::vector<float> one(2, 1.0f);
    const tf_matrix wm{w.data(), one.data(), 2, cols, TF_DTYPE_I8};
    float y[2], yv[2];
    tf::avx512::matmul_a8_rows(x.data(), one.data(), 1, wm, y, 0, 2);
    tf::avx512vnni::matmul_a8_rows(x.data(), one.data(), 1, wm, yv, 0, 2);
    const float want0 = float(int64_t(127) * -128 * cols), want1 = float(int64_t(127) * 127 * cols);
    if (y[0] != want0 || y[1] != want1 || yv[0] != want0 || yv[1] != want1) {
        std::printf("int32 limit: %.9g %.9g / vnni %.9g %.9g, want %.9g %.9g\n", y[0], y[1], yv[0], yv[1], want0, want1);
        ++failures;
    }
    std::printf("avx512 + vnni matmul_a8_rows: %d cases + the int32 limit\n", cases);
}

// tf::avx512::dictionary_block_scores on a hand-built packed layout (dictionary_layout.h):
// blocks of random |I|, |E| (0 included), padding slots, uint16 and int32 ids, against a plain
// per-lane loop (the product rounded before the add, as tf_word_scores does).
void check_dictionary() {
    std::mt19937 rng(7);
    int cases = 0;
    for (int32_t id_bytes : {2, 4}) {
        const int32_t V = id_bytes == 2 ? 65536 : 70001;
        std::vector<float> a(static_cast<size_t>(V));
        for (float& x : a) x = float(rng() % 1000000) * 1e-6f;
        const float A = 16000.5f;
        std::vector<tf::DictBlock> blocks;
        std::vector<int32_t> ids;
        std::vector<int64_t> word;
        std::vector<float> pn, rest;
        int64_t n_words = 0;
        for (int b = 0; b < 40; ++b) {
            const int32_t ni = int32_t(rng() % 70), ne = int32_t(rng() % 3 == 0 ? 0 : rng() % 25);
            blocks.push_back({int64_t(ids.size()), int64_t(word.size()), ni, ne});
            for (int64_t k = 0; k < int64_t(ni + ne) * tf::DICT_LANES; ++k) ids.push_back(int32_t(rng() % uint32_t(V)));
            for (int l = 0; l < tf::DICT_LANES; ++l) {
                word.push_back(rng() % 5 == 0 ? -1 : n_words++);
                const int32_t p = 10 * int32_t(1 + rng() % 10);
                pn.push_back(float(p));
                rest.push_back(float(V - p));
            }
        }
        // Words in a scrambled order, as the layout's permutation makes them.
        std::vector<int64_t> perm(static_cast<size_t>(n_words));
        for (int64_t w = 0; w < n_words; ++w) perm[size_t(w)] = w;
        std::shuffle(perm.begin(), perm.end(), rng);
        for (int64_t& w : word) w = w < 0 ? -1 : perm[size_t(w)];
        std::vector<uint16_t> ids16(ids.begin(), ids.end());
        for (float lambda : {1.0f, 0.8f}) {
            const tf::DictView d{id_bytes, id_bytes == 2 ? static_cast<const void*>(ids16.data()) : ids.data(),
                                 blocks.data(), word.data(), pn.data(), rest.data(), lambda};
            std::vector<float> want(static_cast<size_t>(n_words), NAN), got(static_cast<size_t>(n_words), NAN);
            for (const tf::DictBlock& k : blocks) {
                for (int l = 0; l < tf::DICT_LANES; ++l) {
                    float si = 0, se = 0;
                    for (int32_t j = 0; j < k.n_ids; ++j) si += a[size_t(ids[size_t(k.ids + j * tf::DICT_LANES + l)])];
                    for (int32_t j = k.n_ids; j < k.n_ids + k.n_edges; ++j) {
                        se += a[size_t(ids[size_t(k.ids + j * tf::DICT_LANES + l)])];
                    }
                    volatile float prod = lambda * se;  // rounded, never fused into the add
                    const float s = si + prod;
                    const int64_t slot = k.slot + l;
                    if (word[size_t(slot)] >= 0) want[size_t(word[size_t(slot)])] = s / pn[size_t(slot)] + (s - A) / rest[size_t(slot)];
                }
            }
            tf::avx512::dictionary_block_scores(d, a.data(), A, 0, int64_t(blocks.size()), got.data());
            ++cases;
            if (std::memcmp(got.data(), want.data(), got.size() * 4) != 0) {
                std::printf("avx512 dictionary id_bytes=%d lambda=%g differs\n", id_bytes, double(lambda));
                ++failures;
            }
        }
    }
    std::printf("avx512 dictionary_block_scores: %d cases\n", cases);
}

}  // namespace

int main() {
    check_dictionary();
    check_quantize();
    check_a8();
    std::printf(failures ? "%d FAILED\n" : "all emulated AVX-512 checks passed\n", failures);
    return failures ? 1 : 0;
}
