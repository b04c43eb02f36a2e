// Loading the CUDA plugin (libtfree4j_cuda.so) with dlopen. libtfree4j links no CUDA library,
// so a machine without CUDA runs the CPU backend with nothing extra installed; only a CUDA
// context (or tf_backend_available(TF_BACKEND_CUDA)) looks for the plugin.
#include "cuda_backend.h"

#include <cstdlib>
#include <mutex>

#if defined(__unix__) || defined(__APPLE__)
#include <dlfcn.h>
#define TFREE4J_HAS_DLOPEN 1
#endif

namespace tf {
namespace cuda {

namespace {

constexpr const char* kPluginEnv = "TFREE4J_CUDA_PLUGIN";
constexpr const char* kPluginFile = "libtfree4j_cuda.so";

struct Loaded {
    const tf_cuda_plugin* plugin = nullptr;
    std::string why;  // set when plugin is NULL
};

#if defined(TFREE4J_HAS_DLOPEN)
// The plugin's path: the environment variable, else the file next to libtfree4j itself.
std::string plugin_path(std::string* origin) {
    if (const char* env = std::getenv(kPluginEnv); env != nullptr && env[0] != '\0') {
        *origin = std::string("(from ") + kPluginEnv + ")";
        return env;
    }
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&tf_version), &info) != 0 && info.dli_fname != nullptr) {
        std::string self(info.dli_fname);
        const size_t slash = self.rfind('/');
        *origin = "(next to " + self + ")";
        return (slash == std::string::npos ? std::string() : self.substr(0, slash + 1)) + kPluginFile;
    }
    *origin = "(on the library search path)";
    return kPluginFile;
}
#endif

Loaded load() {
    Loaded r;
#if defined(TFREE4J_HAS_DLOPEN)
    std::string origin;
    const std::string path = plugin_path(&origin);
    // RTLD_LOCAL: the plugin's statically linked CUDA runtime stays private to it.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* err = dlerror();
        r.why = "the CUDA plugin " + path + " " + origin + " cannot be loaded: " + (err ? err : "unknown dlopen error") +
                " (a build without nvcc has no plugin; set " + kPluginEnv + " to its path)";
        return r;
    }
    auto get = reinterpret_cast<tf_cuda_plugin_get_fn>(dlsym(handle, "tf_cuda_plugin_get"));
    if (get == nullptr) {
        r.why = "the CUDA plugin " + path + " has no symbol tf_cuda_plugin_get (not a tfree4j CUDA plugin?)";
        return r;  // the handle stays open: unloading a half-initialised library buys nothing
    }
    const tf_cuda_plugin* p = get(TF_CUDA_PLUGIN_VERSION);
    if (p == nullptr || p->version != TF_CUDA_PLUGIN_VERSION) {
        r.why = "the CUDA plugin " + path + " does not implement plugin interface version " +
                std::to_string(TF_CUDA_PLUGIN_VERSION) + " (plugin and libtfree4j come from different builds)";
        return r;
    }
    r.plugin = p;
#else
    r.why = "the CUDA plugin needs dlopen, which this platform's build does not use";
#endif
    return r;
}

}  // namespace

const tf_cuda_plugin* plugin(std::string* why) {
    static std::once_flag once;
    static Loaded loaded;
    std::call_once(once, [] {
        try {
            loaded = load();
        } catch (...) {
            loaded.plugin = nullptr;
            loaded.why = "out of memory while loading the CUDA plugin";
        }
    });
    if (loaded.plugin == nullptr && why != nullptr) *why = loaded.why;
    return loaded.plugin;
}

}  // namespace cuda
}  // namespace tf
