#include "bench_options.h"

#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "model_shape.h"
#include "tfree4j.h"

namespace bench {

namespace {

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string item;
    while (std::getline(ss, item, ',')) out.push_back(item);
    if (out.empty()) out.push_back("");
    return out;
}

// -m's list: names and directories separated by commas, where a run of numbers is one custom
// shape V,H,L,heads,F,seq[,P] (so "7b,32000,4096,4,32,11008,4096" is two shapes); two custom
// shapes in a row are separated by ';'.
std::vector<std::string> split_models(const std::string& s) {
    auto is_number = [](const std::string& x) {
        return !x.empty() && x.find_first_not_of("0123456789") == std::string::npos;
    };
    std::vector<std::string> out;
    std::stringstream groups(s);
    std::string group;
    while (std::getline(groups, group, ';')) {
        std::string numbers;  // the custom shape being collected
        for (const std::string& item : split(group)) {
            if (is_number(item)) {
                numbers += (numbers.empty() ? "" : ",") + item;
                continue;
            }
            if (!numbers.empty()) out.push_back(numbers);
            numbers.clear();
            out.push_back(item);
        }
        if (!numbers.empty()) out.push_back(numbers);
    }
    if (out.empty()) out.push_back("");
    return out;
}

int64_t to_int(const std::string& opt, const std::string& v, int64_t lo, int64_t hi) {
    size_t used = 0;
    int64_t x = 0;
    try {
        x = std::stoll(v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != v.size() || v.empty()) throw std::invalid_argument(opt + ": '" + v + "' is not an integer");
    if (x < lo || x > hi) {
        throw std::invalid_argument(opt + ": " + v + " is out of range [" + std::to_string(lo) + ", " +
                                    std::to_string(hi) + "]");
    }
    return x;
}

std::vector<int> int_list(const std::string& opt, const std::string& v, int lo, int hi) {
    std::vector<int> out;
    for (const std::string& s : split(v)) out.push_back(int(to_int(opt, s, lo, hi)));
    return out;
}

int32_t dtype_of(const std::string& s) {
    if (s == "f32") return TF_DTYPE_F32;
    if (s == "bf16") return TF_DTYPE_BF16;
    if (s == "f16") return TF_DTYPE_F16;
    if (s == "i8") return TF_DTYPE_I8;
    throw std::invalid_argument("--dtype: '" + s + "' is not one of f32, bf16, f16, i8");
}

int32_t act_of(const std::string& s) {
    if (s == "a32" || s == "a16") return TF_ACT_FLOAT;  // a16: the converter's name for "not a8"
    if (s == "a8") return TF_ACT_INT8;
    throw std::invalid_argument("--act: '" + s + "' is not one of a32 (or a16: float activations), a8 (int8)");
}

}  // namespace

void print_usage(const char* prog) {
    std::string names;
    for (const std::string& n : shape_names()) names += (names.empty() ? "" : ", ") + n;
    std::printf(
        "usage: %s [options]\n"
        "Benchmarks the tfree4j CPU runtime on random weights and compares every number with this\n"
        "machine's limits measured in the same run (memory read bandwidth, f32 and int8 peaks).\n\n"
        "  -m, --model LIST       shapes: %s; or V,H,L,heads,F,seq[,P] (two of these in a row:\n"
        "                         separate them with ';'); or a checkpoint directory (its\n"
        "                         configs; weights stay random)\n"
        "                         (default kjv-small)\n"
        "  -p, --n-prompt LIST    prefill tests pp<N> (default 512; 0 = none)\n"
        "  -n, --n-gen LIST       decode tests tg<N> (default 128; 0 = none)\n"
        "  -t, --threads LIST     threads (default: physical cores)\n"
        "  -r, --repetitions N    repetitions of each test (default 5)\n"
        "  --dtype LIST           weight dtypes: f32, bf16, f16, i8 (default bf16)\n"
        "  --act LIST             int8 weights' activations: a32 (W8A32; a16 is accepted too), a8 (W8A8)\n"
        "                         (default a32)\n"
        "  -o, --output FORMAT    md, csv or json (default md)\n"
        "  --simd LEVEL           auto, scalar, avx2, avx512 (default auto)\n"
        "  --backend NAME         cpu or cuda (default cpu); cuda measures the GPU's limits (HBM read\n"
        "                         bandwidth, bf16 and int8 tensor-core peaks) and runs the model rows there\n"
        "  --device N             CUDA device ordinal (default 0)\n"
        "  --tests LIST           any of machine, model, kernels (default all three)\n"
        "  --no-warmup            skip the warm-up run before each test\n"
        "  --no-adjacent          skip re-measuring the compute peak around each pp repetition\n"
        "  --bw-mib N             bandwidth buffer in MiB (default 1024)\n"
        "  --cold-mib N           working set of the gemv / attention copies in MiB (default 1024)\n"
        "  --kernel-m N           x rows of the gemm kernel rows (default: the first -p; 0 = none)\n"
        "  --dict-words N         words of the synthetic dictionary (default 1000000; 0 = none)\n"
        "  --kv LIST              KV lengths of the attention rows (default 256,1024,4096)\n"
        "  --seed N               random seed (default 42)\n"
        "  -h, --help             this text\n",
        prog, names.c_str());
}

int parse_options(int argc, char** argv, Options* o) {
    bool kernel_m_set = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            print_usage(argv[0]);
            return 1;
        }
        if (a == "--no-warmup") {
            o->warmup = false;
            continue;
        }
        if (a == "--no-adjacent") {
            o->adjacent = false;
            continue;
        }
        if (i + 1 >= argc) throw std::invalid_argument(a + ": missing value (or unknown option)");
        const std::string v = argv[++i];
        if (a == "-m" || a == "--model") {
            o->models = split_models(v);
        } else if (a == "-p" || a == "--n-prompt") {
            o->n_prompt = int_list(a, v, 0, 1 << 20);
        } else if (a == "-n" || a == "--n-gen") {
            o->n_gen = int_list(a, v, 0, 1 << 20);
        } else if (a == "-t" || a == "--threads") {
            o->threads = int_list(a, v, 1, 1024);
        } else if (a == "-r" || a == "--repetitions") {
            o->reps = int(to_int(a, v, 1, 1000000));
        } else if (a == "--dtype") {
            o->dtypes.clear();
            for (const std::string& s : split(v)) o->dtypes.push_back(dtype_of(s));
        } else if (a == "--act") {
            o->acts.clear();
            for (const std::string& s : split(v)) o->acts.push_back(act_of(s));
        } else if (a == "-o" || a == "--output") {
            if (v == "md") o->format = Format::MD;
            else if (v == "csv") o->format = Format::CSV;
            else if (v == "json") o->format = Format::JSON;
            else throw std::invalid_argument(a + ": '" + v + "' is not one of md, csv, json");
        } else if (a == "--simd") {
            if (v == "auto") o->simd = TF_SIMD_AUTO;
            else if (v == "scalar") o->simd = TF_SIMD_SCALAR;
            else if (v == "avx2") o->simd = TF_SIMD_AVX2;
            else if (v == "avx512") o->simd = TF_SIMD_AVX512;
            else throw std::invalid_argument(a + ": '" + v + "' is not one of auto, scalar, avx2, avx512");
        } else if (a == "--backend") {
            if (v == "cpu") o->backend = TF_BACKEND_CPU;
            else if (v == "cuda") o->backend = TF_BACKEND_CUDA;
            else throw std::invalid_argument(a + ": '" + v + "' is not one of cpu, cuda");
        } else if (a == "--device") {
            o->device = int32_t(to_int(a, v, 0, 1024));
        } else if (a == "--tests") {
            o->run_machine = o->run_model = o->run_kernels = false;
            for (const std::string& s : split(v)) {
                if (s == "machine") o->run_machine = true;
                else if (s == "model") o->run_model = true;
                else if (s == "kernels") o->run_kernels = true;
                else throw std::invalid_argument(a + ": '" + s + "' is not one of machine, model, kernels");
            }
        } else if (a == "--bw-mib") {
            o->bw_mib = to_int(a, v, 1, int64_t{1} << 20);
        } else if (a == "--cold-mib") {
            o->cold_mib = to_int(a, v, 0, int64_t{1} << 20);
        } else if (a == "--kernel-m") {
            o->kernel_m = int(to_int(a, v, 0, 1 << 20));
            kernel_m_set = true;
        } else if (a == "--dict-words") {
            o->dict_words = to_int(a, v, 0, int64_t{1} << 32);
        } else if (a == "--kv") {
            o->kv_lens.clear();
            for (const std::string& s : split(v)) o->kv_lens.push_back(to_int(a, s, 1, 1 << 24));
        } else if (a == "--seed") {
            o->seed = uint64_t(to_int(a, v, 0, INT64_MAX));
        } else {
            throw std::invalid_argument("unknown option " + a + " (see --help)");
        }
    }
    if (!kernel_m_set) o->kernel_m = o->n_prompt.empty() ? 0 : o->n_prompt[0];
    return 0;
}

}  // namespace bench
