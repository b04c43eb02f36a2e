// tf_embed_sum (docs/spec/tfree.md §4) and its scalar reference kernel.
//
// The work is split over the hidden dimension: every task owns a range of columns of every
// output row, zeroes it, then walks all rows in order. So each out element is computed by
// one thread in exactly the reference's order — g_r = ((t0 + t1) + ...) + t_{P-1}, then
// out[w] = ((0 + g_r0) + g_r1) + ... over the rows of w in row order — whatever the thread
// count, and with adds only the f32 / bf16 / f16 results are identical at every SIMD level.
#include <algorithm>
#include <cstdint>
#include <new>
#include <string>

#include "context.h"
#include "dtype.h"
#include "kernels.h"
#include "tfree4j_internal.h"
#include "cuda_backend.h"
#include "status.h"

namespace tf {
namespace scalar {

namespace {

constexpr int64_t COL_BLOCK = 256;  // columns of one row sum g kept on the stack

template <int D>
inline float table_value(const tf_matrix& t, int64_t id, int64_t i) {
    if constexpr (D == TF_DTYPE_F32) return static_cast<const float*>(t.data)[i];
    if constexpr (D == TF_DTYPE_BF16) return bf16_to_f32(static_cast<const uint16_t*>(t.data)[i]);
    if constexpr (D == TF_DTYPE_F16) return f16_to_f32(static_cast<const uint16_t*>(t.data)[i]);
    if constexpr (D == TF_DTYPE_I8) return float(static_cast<const int8_t*>(t.data)[i]) * t.scales[id];
}

template <int D>
void embed_range(const tf_matrix& t, const int32_t* ids, int64_t n_rows, int32_t population,
                 const int32_t* row_word, int64_t n_words, float* out, int64_t c0, int64_t c1) {
    const int64_t H = t.cols;
    for (int64_t w = 0; w < n_words; ++w) std::fill(out + w * H + c0, out + w * H + c1, 0.0f);
    float g[COL_BLOCK];
    for (int64_t cb = c0; cb < c1; cb += COL_BLOCK) {
        const int64_t width = std::min(COL_BLOCK, c1 - cb);
        for (int64_t r = 0; r < n_rows; ++r) {
            const int32_t* rid = ids + r * population;
            const int64_t base0 = int64_t(rid[0]) * H + cb;
            for (int64_t c = 0; c < width; ++c) g[c] = table_value<D>(t, rid[0], base0 + c);
            for (int32_t j = 1; j < population; ++j) {
                const int64_t base = int64_t(rid[j]) * H + cb;
                for (int64_t c = 0; c < width; ++c) g[c] += table_value<D>(t, rid[j], base + c);
            }
            float* o = out + int64_t(row_word[r]) * H + cb;
            for (int64_t c = 0; c < width; ++c) o[c] += g[c];
        }
    }
}

}  // namespace

void embed_cols(const tf_matrix& table, const int32_t* ids, int64_t n_rows, int32_t population,
                const int32_t* row_word, int64_t n_words, float* out, int64_t c0, int64_t c1) {
    switch (table.dtype) {
        case TF_DTYPE_F32:
            return embed_range<TF_DTYPE_F32>(table, ids, n_rows, population, row_word, n_words, out, c0, c1);
        case TF_DTYPE_BF16:
            return embed_range<TF_DTYPE_BF16>(table, ids, n_rows, population, row_word, n_words, out, c0, c1);
        case TF_DTYPE_F16:
            return embed_range<TF_DTYPE_F16>(table, ids, n_rows, population, row_word, n_words, out, c0, c1);
        case TF_DTYPE_I8:
            return embed_range<TF_DTYPE_I8>(table, ids, n_rows, population, row_word, n_words, out, c0, c1);
        default: return;
    }
}

}  // namespace scalar
}  // namespace tf

extern "C" {

TF_API tf_status tf_embed_sum(tf_context* ctx, const tf_matrix* table, const int32_t* ids, int64_t n_rows,
                              int32_t population, const int32_t* row_word, int64_t n_words, float* out) {
    try {
        TF_CHECK_ARG(ctx != nullptr, "tf_embed_sum: ctx is NULL");
        if (tf_status s = tf::check_matrix(table, "tf_embed_sum", "table"); s != TF_OK) return s;
        TF_CHECK_ARG(n_rows >= 0, "tf_embed_sum: n_rows = " + std::to_string(n_rows) + " is negative");
        TF_CHECK_ARG(n_words >= 0, "tf_embed_sum: n_words = " + std::to_string(n_words) + " is negative");
        TF_CHECK_ARG(population >= 1, "tf_embed_sum: population = " + std::to_string(population) + " must be >= 1");
        int64_t n_ids = 0, n_out = 0;
        TF_CHECK_ARG(tf::mul_size(n_rows, population, sizeof(int32_t), &n_ids),
                     "tf_embed_sum: ids size n_rows * population overflows");
        TF_CHECK_ARG(tf::mul_size(n_words, table->cols, sizeof(float), &n_out),
                     "tf_embed_sum: out size n_words * table.cols overflows");
        TF_CHECK_ARG(n_ids == 0 || ids != nullptr, "tf_embed_sum: ids is NULL");
        TF_CHECK_ARG(n_rows == 0 || row_word != nullptr, "tf_embed_sum: row_word is NULL");
        TF_CHECK_ARG(n_out == 0 || out != nullptr, "tf_embed_sum: out is NULL");
        const int64_t V = table->rows;
        for (int64_t i = 0; i < n_ids; ++i) {
            if (ids[i] < 0 || ids[i] >= V) {
                return tf::fail(TF_ERR_INVALID_ARGUMENT,
                                "tf_embed_sum: ids[" + std::to_string(i) + "] = " + std::to_string(ids[i]) +
                                    " (row " + std::to_string(i / population) + ") is out of [0, " +
                                    std::to_string(V) + ")");
            }
        }
        for (int64_t r = 0; r < n_rows; ++r) {
            if (row_word[r] < 0 || row_word[r] >= n_words) {
                return tf::fail(TF_ERR_INVALID_ARGUMENT, "tf_embed_sum: row_word[" + std::to_string(r) +
                                                             "] = " + std::to_string(row_word[r]) +
                                                             " is out of [0, " + std::to_string(n_words) + ")");
            }
        }
        if (n_out == 0) return tf::ok();
        if (tf::cuda::active(ctx)) return tf::cuda::result(ctx, ctx->plugin->embed_sum(ctx->cuda, table, ids, n_rows, population, row_word, n_words, out), "tf_embed_sum");

        const tf::KernelTable& k = tf::kernels_for(ctx->simd);
        // Tasks are blocks of 64 hidden columns (whole vectors at every level); each task
        // should carry at least ~64K element additions.
        constexpr int64_t BLOCK = 64;
        const int64_t H = table->cols;
        const int64_t blocks = (H + BLOCK - 1) / BLOCK;
        const int64_t work_per_block = BLOCK * (n_ids + n_words);
        const int64_t grain = std::max<int64_t>(1, (int64_t{1} << 16) / std::max<int64_t>(work_per_block, 1));
        tf::parallel_for(ctx, blocks, grain, [&](int64_t b0, int64_t b1) {
            k.embed_cols(*table, ids, n_rows, population, row_word, n_words, out, b0 * BLOCK,
                         std::min(H, b1 * BLOCK));
        });
        return tf::ok();
    } catch (const std::bad_alloc&) {
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_embed_sum: out of memory");
    } catch (...) {
        return tf::fail(TF_ERR_INTERNAL, "tf_embed_sum: unexpected exception");
    }
}

}  // extern "C"
