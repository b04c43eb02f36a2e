// Small helpers shared by the tfree4j-bench sources: a clock, mean ± stddev of repeated
// measurements, page-aligned buffers, fast multi-threaded random fill, and a check macro for
// the library's status codes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tfree4j.h"

namespace bench {

// Seconds since an arbitrary epoch (steady clock).
double now_seconds();

// Mean and sample standard deviation (0 for a single value) of repeated measurements.
struct Stats {
    double mean = 0, stddev = 0, min = 0;
    int n = 0;
};
Stats stats_of(const std::vector<double>& values);

// Zero-initialised memory from mmap: page-aligned, never copied, unmapped on destruction.
// Pages are committed by the first write (fill() does that on all threads).
class Buffer {
public:
    Buffer() = default;
    explicit Buffer(size_t bytes);
    ~Buffer();
    Buffer(Buffer&& other) noexcept;
    Buffer& operator=(Buffer&& other) noexcept;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    void* data() const { return data_; }
    size_t size() const { return bytes_; }
    template <class T>
    T* as() const {
        return static_cast<T*>(data_);
    }

private:
    void* data_ = nullptr;
    size_t bytes_ = 0;
};

// What random values a buffer gets.
enum class Fill {
    UNIFORM_F32,   // float32 uniform in [-amplitude, amplitude]
    UNIFORM_BF16,  // the same, rounded to bfloat16
    UNIFORM_F16,   // the same, rounded to IEEE half
    INT8,          // int8 uniform in [-127, 127]
    INT32_BELOW,   // int32 uniform in [0, bound)
};

// Fills `count` elements of `data` on `threads` threads (deterministic for a given seed and
// thread count). `amplitude` is the f32 range, `bound` the int32 range.
void fill_random(void* data, int64_t count, Fill kind, uint64_t seed, int threads, float amplitude = 1.0f,
                 int32_t bound = 1);

// Throws std::runtime_error with the library's message if status is not TF_OK.
void check(tf_status status, const char* what);

// "6.27 GiB", "412.0 MiB", ...
std::string format_bytes(double bytes);

}  // namespace bench
