// The weights of a model of a given shape, random, generated directly in the benchmarked
// dtype (a 7B model never exists in f32 here: ~7 GB as int8, ~13.4 GB as bf16), and
// tf_model objects that reference them in place (one per context, so several thread counts
// share one copy of the weights). The embedding table is the lm_head's memory (same shape
// [V, H]): the benchmark feeds random embeddings straight into tf_model_forward, so the
// table is never read.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bench_util.h"
#include "model_shape.h"
#include "tfree4j.h"

namespace bench {

class RandomWeights {
public:
    // Generates every weight on `fill_threads` threads.
    RandomWeights(const ModelShape& shape, int32_t dtype, int fill_threads, uint64_t seed);

    // A finalized tf_model on ctx referencing these weights; free it with tf_model_free before
    // this object dies. activation_mode: how int8 weights multiply (tf_activation_mode).
    tf_model* create_model(tf_context* ctx, int32_t activation_mode) const;

    // Bytes of weight memory resident (matrices incl. int8 scales, the norm vector).
    int64_t resident_bytes() const { return resident_bytes_; }
    // Bytes a forward of a single word reads from the matrices (every layer + lm_head).
    int64_t streamed_bytes() const { return streamed_bytes_; }
    // Bytes a checkpoint of this shape and dtype would take (includes the embedding table).
    int64_t checkpoint_bytes() const;
    double build_seconds() const { return build_seconds_; }

private:
    tf_matrix add_matrix(int64_t rows, int64_t cols, float amplitude, int fill_threads, uint64_t seed);

    ModelShape shape_;
    int32_t dtype_;
    std::vector<Buffer> buffers_;                         // one per matrix (its scales, then its data)
    std::vector<std::pair<std::string, tf_matrix>> named_;  // state-dict name -> matrix
    std::vector<float> ones_;                             // [H] every norm weight
    std::vector<float> rope_;                             // [max_positions, d/2, 2]
    int64_t resident_bytes_ = 0, streamed_bytes_ = 0;
    double build_seconds_ = 0;
};

}  // namespace bench
