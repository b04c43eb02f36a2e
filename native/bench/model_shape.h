// Model shapes the benchmark can build with random weights: named presets, an explicit
// "V,H,L,heads,F,seq[,P]" list, or the shape of a checkpoint directory (its configs only:
// the weights are still random).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace bench {

struct ModelShape {
    std::string name;           // for the report, e.g. "7B"
    int32_t vocab = 0;          // V
    int32_t hidden = 0;         // H
    int32_t layers = 0;         // L
    int32_t heads = 0;          // head_dim = H / heads
    int32_t intermediate = 0;   // F
    int32_t max_positions = 0;  // sequence_length
    int32_t population = 10;    // P: ids per trigram (for the dictionary-scoring kernel)

    int64_t head_dim() const { return hidden / heads; }
    // Elements of the matrices a forward streams: per layer 4·H² + 3·F·H, plus the head V·H.
    int64_t streamed_params() const;
    // Every parameter of a checkpoint of this shape (adds the embedding table V·H and norms).
    int64_t total_params() const;
};

// Names accepted by -m, in the order the help lists them.
std::vector<std::string> shape_names();

// Resolves -m's argument: a preset name, "V,H,L,heads,F,seq[,P]", or a checkpoint
// directory with transformer/transformer_config.yaml. Throws std::invalid_argument naming
// the problem.
ModelShape resolve_shape(const std::string& spec);

}  // namespace bench
