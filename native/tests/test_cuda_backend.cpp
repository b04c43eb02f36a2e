// The CUDA backend's availability and its failure messages. Runs on every machine:
//   - asking about the CPU never loads the CUDA plugin (checked in /proc/self/maps);
//   - without a usable GPU: tf_backend_available(CUDA) is 0 with a message naming the reason,
//     and a CUDA context fails with TF_ERR_UNSUPPORTED naming it too;
//   - with TFREE4J_CUDA_PLUGIN set (ctest runs this a second time with a path that does not
//     exist), the message names that path;
//   - with a GPU: a CUDA context is created on device 0, reports its backend, and a device
//     ordinal that does not exist is TF_ERR_UNSUPPORTED naming it.
// TFREE4J_EXPECT_PLUGIN (set when the build made the plugin): without the variable the
// plugin must be found next to libtfree4j, so a failure must come from the driver / device.
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "test_util.h"

namespace {

bool plugin_mapped() {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        if (line.find("libtfree4j_cuda") != std::string::npos) return true;
    }
    return false;
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

}  // namespace

int main() {
    const char* env = std::getenv("TFREE4J_CUDA_PLUGIN");
    const bool env_set = env != nullptr && env[0] != '\0';

    // The CPU backend: available, and asking loads nothing.
    TFT_CHECK(tf_backend_available(TF_BACKEND_CPU) == 1);
    TFT_CHECK(std::strcmp(tf_last_error(), "") == 0);
    tf_context_params p;
    tf_context_params_init(&p);
    TFT_CHECK(p.backend == TF_BACKEND_CPU && p.device == 0);
    tf_context* cpu = nullptr;
    TFT_CHECK_OK(tf_context_create(&p, &cpu));
    TFT_CHECK(tf_context_backend(cpu) == TF_BACKEND_CPU);
    tf_context_free(cpu);
    TFT_CHECK(tf_context_backend(nullptr) == -1);
    TFT_CHECK(!plugin_mapped());
    TFT_CHECK(tf_backend_available(7) == 0);
    TFT_CHECK(contains(tf_last_error(), "unknown backend 7"));

    const int32_t available = tf_backend_available(TF_BACKEND_CUDA);
    const std::string why = tf_last_error();
    std::printf("tf_backend_available(CUDA) = %d%s%s\n", available, why.empty() ? "" : ": ", why.c_str());
    p.backend = TF_BACKEND_CUDA;
    tf_context* ctx = nullptr;
    if (env_set && std::strncmp(env, "/nonexistent", 12) == 0) {
        TFT_CHECK(available == 0);
        TFT_CHECK(contains(why, env));  // the message names the path it tried
        TFT_CHECK(contains(why, "TFREE4J_CUDA_PLUGIN"));
        TFT_CHECK(!plugin_mapped());
    }
    if (available == 0) {
        TFT_CHECK(!why.empty());
        TFT_CHECK(tf_context_create(&p, &ctx) == TF_ERR_UNSUPPORTED);
        TFT_CHECK(ctx == nullptr);
        const std::string msg = tf_last_error();
        TFT_CHECK(contains(msg, "tf_context_create"));
        TFT_CHECK(contains(msg, why.c_str()));  // the same reason, with the function named
#if defined(TFREE4J_EXPECT_PLUGIN)
        if (!env_set) {
            // The plugin was built next to libtfree4j: it must load, and the reason must come
            // from the CUDA runtime (no driver here, or no device).
            TFT_CHECK(plugin_mapped());
            TFT_CHECK(contains(why, "no usable CUDA device"));
            TFT_CHECK(contains(why, "cudaGetDeviceCount"));
        }
#else
        if (!env_set) TFT_CHECK(contains(why, "libtfree4j_cuda.so"));
#endif
    } else {
        TFT_CHECK_OK(tf_context_create(&p, &ctx));
        TFT_CHECK(ctx != nullptr && tf_context_backend(ctx) == TF_BACKEND_CUDA);
        tf_context_free(ctx);
        p.device = 999;
        ctx = nullptr;
        TFT_CHECK(tf_context_create(&p, &ctx) == TF_ERR_UNSUPPORTED);
        TFT_CHECK(ctx == nullptr);
        TFT_CHECK(contains(tf_last_error(), "999"));
    }
    p.device = -1;
    TFT_CHECK(tf_context_create(&p, &ctx) == TF_ERR_INVALID_ARGUMENT);
    return tft::finish("test_cuda_backend");
}
