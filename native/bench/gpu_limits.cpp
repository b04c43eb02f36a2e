// measure_gpu (gpu_limits.h): asks the CUDA plugin, which libtfree4j has already loaded
// (dlopen of the same path returns the same handle), for the device's limits.
#include "gpu_limits.h"

#include <dlfcn.h>

#include <cstdlib>
#include <stdexcept>

#include "cuda_plugin.h"
#include "tfree4j.h"

namespace bench {

namespace {

// The plugin's path, as libtfree4j finds it (cuda_backend.cpp).
std::string plugin_path() {
    if (const char* env = std::getenv("TFREE4J_CUDA_PLUGIN"); env != nullptr && env[0] != '\0') return env;
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&tf_version), &info) != 0 && info.dli_fname != nullptr) {
        std::string self(info.dli_fname);
        const size_t slash = self.rfind('/');
        return (slash == std::string::npos ? std::string() : self.substr(0, slash + 1)) + "libtfree4j_cuda.so";
    }
    return "libtfree4j_cuda.so";
}

}  // namespace

MachineLimits measure_gpu(int device, std::string* name) {
    if (!tf_backend_available(TF_BACKEND_CUDA)) {
        throw std::runtime_error(std::string("--backend cuda: ") + tf_last_error());
    }
    const std::string path = plugin_path();
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) throw std::runtime_error("cannot load " + path + ": " + dlerror());
    auto get = reinterpret_cast<tf_cuda_plugin_get_fn>(dlsym(handle, "tf_cuda_plugin_get"));
    const tf_cuda_plugin* p = get ? get(TF_CUDA_PLUGIN_VERSION) : nullptr;
    if (p == nullptr) throw std::runtime_error(path + " is not a CUDA plugin of this build");
    tf_cuda_device* dev = nullptr;
    if (p->device_create(device, &dev) != TF_OK) throw std::runtime_error(p->last_error());
    char buf[256] = {0};
    MachineLimits l;
    double hbm = 0, bf16 = 0, i8 = 0;
    const tf_status s1 = p->device_name(dev, buf, sizeof buf);
    const tf_status s2 = p->measure_limits(dev, &hbm, &bf16, &i8);
    const std::string err = p->last_error();
    p->device_free(dev);
    if (s1 != TF_OK || s2 != TF_OK) throw std::runtime_error("measuring the GPU's limits: " + err);
    *name = buf;
    l.read_bandwidth = {hbm, "streaming 16-byte reads over 8x the L2 size (" + *name + ")"};
    l.f32_peak = {bf16 * 1e3, "WMMA bf16 m16n16k16 MMA loop, f32 accumulate (bounds every prefill row)"};
    l.i8_peak = {i8 * 1e3, "WMMA int8 m16n16k16 MMA loop, int32 accumulate"};
    return l;
}

}  // namespace bench
