#include "model_shape.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace bench {

int64_t ModelShape::streamed_params() const {
    const int64_t H = hidden, F = intermediate, V = vocab;
    return int64_t(layers) * (4 * H * H + 3 * F * H) + V * H;
}

int64_t ModelShape::total_params() const {
    return streamed_params() + int64_t(vocab) * hidden + (2 * int64_t(layers) + 1) * hidden;
}

namespace {

struct Preset {
    const char* name;
    ModelShape shape;
};

// F = int(H · 2.66796875) as the reference computes it (docs/spec/tfree.md §5).
const Preset PRESETS[] = {
    {"tiny", {"tiny", 512, 64, 2, 4, 170, 128, 4}},                 // smoke tests
    {"kjv-small", {"kjv-small", 8192, 256, 4, 4, 683, 256, 8}},    // the bundled model's shape
    {"1b", {"1B", 32000, 2048, 16, 16, 5464, 4096, 10}},           // a 1B-like T-FREE shape
    {"7b", {"7B", 32000, 4096, 32, 32, 10928, 4096, 10}},          // the released 7B (docs/spec/tfree.md §5)
};

// The number after "key": in a JSON text (the configs are JSON inside .yaml files).
bool json_number(const std::string& text, const std::string& key, double* out) {
    const std::string k = "\"" + key + "\"";
    size_t p = text.find(k);
    if (p == std::string::npos) return false;
    p = text.find(':', p + k.size());
    if (p == std::string::npos) return false;
    std::istringstream in(text.substr(p + 1));
    return bool(in >> *out);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) return "";
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

ModelShape from_directory(const std::string& dir) {
    const std::string cfg_path = dir + "/transformer/transformer_config.yaml";
    const std::string cfg = read_file(cfg_path);
    if (cfg.empty()) {
        throw std::invalid_argument("-m " + dir + ": not a shape name and " + cfg_path + " cannot be read");
    }
    auto need = [&](const char* key) {
        double v = 0;
        if (!json_number(cfg, key, &v)) throw std::invalid_argument(cfg_path + ": no number for \"" + key + "\"");
        return v;
    };
    ModelShape s;
    s.name = dir.substr(dir.find_last_of('/') == std::string::npos ? 0 : dir.find_last_of('/') + 1);
    s.vocab = int32_t(need("vocab_size"));
    s.hidden = int32_t(need("hidden_size"));
    s.layers = int32_t(need("num_layers"));
    s.heads = int32_t(need("num_attention_heads"));
    s.intermediate = int32_t(double(s.hidden) * need("mlp_factor"));
    s.max_positions = int32_t(need("sequence_length"));
    double p = 0;
    if (json_number(read_file(dir + "/tokenizer/tokenizer_config.yaml"), "vocab_population", &p)) s.population = int32_t(p);
    return s;
}

ModelShape from_list(const std::string& spec) {
    std::vector<int64_t> v;
    std::stringstream ss(spec);
    std::string item;
    while (std::getline(ss, item, ',')) {
        try {
            v.push_back(std::stoll(item));
        } catch (const std::exception&) {
            throw std::invalid_argument("-m " + spec + ": '" + item + "' is not a number (expected V,H,L,heads,F,seq[,P])");
        }
    }
    if (v.size() != 6 && v.size() != 7) {
        throw std::invalid_argument("-m " + spec + ": expected 6 or 7 numbers V,H,L,heads,F,seq[,P]");
    }
    ModelShape s;
    s.name = "custom";
    s.vocab = int32_t(v[0]);
    s.hidden = int32_t(v[1]);
    s.layers = int32_t(v[2]);
    s.heads = int32_t(v[3]);
    s.intermediate = int32_t(v[4]);
    s.max_positions = int32_t(v[5]);
    if (v.size() == 7) s.population = int32_t(v[6]);
    return s;
}

void validate(const ModelShape& s, const std::string& spec) {
    auto bad = [&](const std::string& why) { throw std::invalid_argument("-m " + spec + ": " + why); };
    if (s.vocab < 1 || s.hidden < 1 || s.layers < 1 || s.heads < 1 || s.intermediate < 1 || s.max_positions < 1 ||
        s.population < 1) {
        bad("every size must be >= 1");
    }
    if (s.hidden % s.heads != 0 || (s.hidden / s.heads) % 2 != 0) bad("hidden / heads must be an even integer");
    if (s.population > s.vocab) bad("population must be <= vocab");
}

}  // namespace

std::vector<std::string> shape_names() {
    std::vector<std::string> names;
    for (const Preset& p : PRESETS) names.push_back(p.name);
    return names;
}

ModelShape resolve_shape(const std::string& spec) {
    ModelShape s;
    bool found = false;
    for (const Preset& p : PRESETS) {
        if (spec == p.name) {
            s = p.shape;
            found = true;
        }
    }
    if (!found) s = spec.find(',') != std::string::npos ? from_list(spec) : from_directory(spec);
    validate(s, spec);
    return s;
}

}  // namespace bench
