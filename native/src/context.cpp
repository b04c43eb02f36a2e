// CPU feature detection, core counting and the tf_context C API.
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <new>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "context.h"
#include "cuda_backend.h"
#include "status.h"

#if defined(__linux__)
#include <sched.h>
#endif

namespace tf {

#if defined(TFREE4J_X86) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
static bool cpu_has_f16c() {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    return (c & bit_F16C) != 0;
}
#endif

int32_t detect_simd() {
    int32_t best = TF_SIMD_SCALAR;
#if defined(TFREE4J_X86) && (defined(__GNUC__) || defined(__clang__))
    __builtin_cpu_init();
    // __builtin_cpu_supports also checks that the OS saves the wider registers (XGETBV).
    // The AVX2 files also use F16C (half-precision loads); every AVX2 CPU has it, but check.
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && cpu_has_f16c()) best = TF_SIMD_AVX2;
    if (best == TF_SIMD_AVX2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq")) {
        best = TF_SIMD_AVX512;
    }
#endif
    if (const char* cap = std::getenv("TFREE4J_SIMD")) {
        int32_t limit = best;
        if (std::strcmp(cap, "scalar") == 0) limit = TF_SIMD_SCALAR;
        else if (std::strcmp(cap, "avx2") == 0) limit = TF_SIMD_AVX2;
        else if (std::strcmp(cap, "avx512") == 0) limit = TF_SIMD_AVX512;
        best = std::min(best, limit);
    }
    return best;
}

bool detect_avx512_vnni() {
    bool has = false;
#if defined(TFREE4J_X86) && (defined(__GNUC__) || defined(__clang__))
    __builtin_cpu_init();
    has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vnni");
#endif
    if (const char* env = std::getenv("TFREE4J_VNNI")) {
        if (std::strcmp(env, "0") == 0) has = false;
    }
    return has;
}

namespace {

// Physical cores among the CPUs this process may run on (hyper-threads counted once).
int count_physical_cores() {
    int logical = static_cast<int>(std::thread::hardware_concurrency());
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        std::set<std::pair<int, int>> cores;
        int allowed = 0;
        for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
            if (!CPU_ISSET(cpu, &set)) continue;
            ++allowed;
            std::string base = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
            std::ifstream core(base + "core_id"), package(base + "physical_package_id");
            int core_id = -1, package_id = -1;
            if (!(core >> core_id) || !(package >> package_id)) return allowed > 0 ? allowed : 1;
            cores.emplace(package_id, core_id);
        }
        if (!cores.empty()) return static_cast<int>(cores.size());
        if (allowed > 0) return allowed;
    }
#endif
    return logical > 0 ? logical : 1;
}

}  // namespace
}  // namespace tf

extern "C" {

TF_API int32_t tf_cpu_best_simd(void) {
    static const int32_t best = tf::detect_simd();
    return best;
}

TF_API int32_t tf_cpu_physical_cores(void) {
    static const int32_t cores = tf::count_physical_cores();
    return cores;
}

TF_API void tf_context_params_init(tf_context_params* params) {
    if (!params) return;
    params->n_threads = 0;
    params->simd = TF_SIMD_AUTO;
    params->backend = TF_BACKEND_CPU;
    params->device = 0;
}

TF_API int32_t tf_backend_available(int32_t backend) {
    if (backend == TF_BACKEND_CPU) {
        tf::ok();
        return 1;
    }
    if (backend == TF_BACKEND_CUDA) {
        std::string why;
        const tf_cuda_plugin* plugin = tf::cuda::plugin(&why);
        if (plugin == nullptr) {
            tf::fail(TF_ERR_UNSUPPORTED, why);
            return 0;
        }
        int32_t count = 0;
        if (plugin->device_count(&count) != TF_OK) {
            tf::fail(TF_ERR_UNSUPPORTED, std::string("no usable CUDA device: ") + plugin->last_error());
            return 0;
        }
        if (count < 1) {
            tf::fail(TF_ERR_UNSUPPORTED, "no usable CUDA device: the driver reports 0 devices");
            return 0;
        }
        tf::ok();
        return 1;
    }
    tf::fail(TF_ERR_INVALID_ARGUMENT, "unknown backend " + std::to_string(backend));
    return 0;
}

TF_API tf_status tf_context_create(const tf_context_params* params, tf_context** out) {
    TF_CHECK_ARG(out != nullptr, "tf_context_create: out is NULL");
    *out = nullptr;
    tf_context_params p;
    tf_context_params_init(&p);
    if (params) p = *params;
    TF_CHECK_ARG(p.n_threads <= 4096, "tf_context_create: n_threads " + std::to_string(p.n_threads) + " is too large");
    TF_CHECK_ARG(p.simd >= TF_SIMD_AUTO && p.simd <= TF_SIMD_AVX512,
                 "tf_context_create: unknown simd level " + std::to_string(p.simd));
    TF_CHECK_ARG(p.backend == TF_BACKEND_CPU || p.backend == TF_BACKEND_CUDA,
                 "tf_context_create: unknown backend " + std::to_string(p.backend));
    TF_CHECK_ARG(p.device >= 0, "tf_context_create: device " + std::to_string(p.device) + " is negative");
    if (p.backend == TF_BACKEND_CUDA && !tf_backend_available(TF_BACKEND_CUDA)) {
        return tf::fail(TF_ERR_UNSUPPORTED, std::string("tf_context_create: ") + tf_last_error());
    }
    int32_t best = tf_cpu_best_simd();
    int32_t simd = p.simd == TF_SIMD_AUTO ? best : p.simd;
    if (simd > best) {
        return tf::fail(TF_ERR_UNSUPPORTED, "tf_context_create: simd level " + std::to_string(simd) +
                                                " is not supported by this CPU/build (best is " +
                                                std::to_string(best) + ")");
    }
    int threads = p.n_threads > 0 ? p.n_threads : tf_cpu_physical_cores();
    tf_cuda_device* device = nullptr;
    const tf_cuda_plugin* plugin = nullptr;
    if (p.backend == TF_BACKEND_CUDA) {
        plugin = tf::cuda::plugin(nullptr);  // loaded by tf_backend_available above
        int32_t count = 0;
        if (plugin->device_count(&count) == TF_OK && p.device >= count) {
            return tf::fail(TF_ERR_UNSUPPORTED, "tf_context_create: CUDA device " + std::to_string(p.device) +
                                                    " does not exist (this machine has " + std::to_string(count) +
                                                    " CUDA device(s))");
        }
        if (plugin->device_create(p.device, &device) != TF_OK) {
            return tf::fail(TF_ERR_UNSUPPORTED, std::string("tf_context_create: CUDA device ") +
                                                    std::to_string(p.device) + ": " + plugin->last_error());
        }
    }
    try {
        static const bool vnni = tf::detect_avx512_vnni();
        *out = new tf_context(threads, simd, simd >= TF_SIMD_AVX512 && vnni);
        (*out)->backend = p.backend;
        (*out)->plugin = plugin;
        (*out)->cuda = device;
    } catch (const std::bad_alloc&) {
        if (device != nullptr) plugin->device_free(device);
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_context_create: out of memory");
    } catch (const std::system_error& e) {  // a worker thread could not be started
        if (device != nullptr) plugin->device_free(device);
        return tf::fail(TF_ERR_OUT_OF_MEMORY, "tf_context_create: n_threads " + std::to_string(threads) + ": " + e.what());
    } catch (const std::exception& e) {
        if (device != nullptr) plugin->device_free(device);
        return tf::fail(TF_ERR_INTERNAL, std::string("tf_context_create: ") + e.what());
    }
    return tf::ok();
}

TF_API void tf_context_free(tf_context* ctx) { tf::context_release(ctx); }

TF_API int32_t tf_context_simd(const tf_context* ctx) { return ctx ? ctx->simd : -1; }

TF_API int32_t tf_context_threads(const tf_context* ctx) { return ctx ? ctx->pool.size() : 0; }

TF_API int32_t tf_context_backend(const tf_context* ctx) { return ctx ? ctx->backend : -1; }

}  // extern "C"
