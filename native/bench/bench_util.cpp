#include "bench_util.h"

#include <sys/mman.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <new>
#include <stdexcept>
#include <thread>

#include "dtype.h"

namespace bench {

double now_seconds() {
    using clock = std::chrono::steady_clock;
    return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

Stats stats_of(const std::vector<double>& v) {
    Stats s;
    s.n = int(v.size());
    if (v.empty()) return s;
    double sum = 0;
    s.min = v[0];
    for (double x : v) {
        sum += x;
        s.min = std::min(s.min, x);
    }
    s.mean = sum / double(v.size());
    if (v.size() > 1) {
        double sq = 0;
        for (double x : v) sq += (x - s.mean) * (x - s.mean);
        s.stddev = std::sqrt(sq / double(v.size() - 1));
    }
    return s;
}

Buffer::Buffer(size_t bytes) : bytes_(bytes) {
    if (bytes == 0) return;
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    data_ = p;
}

Buffer::~Buffer() {
    if (data_) munmap(data_, bytes_);
}

Buffer::Buffer(Buffer&& o) noexcept : data_(o.data_), bytes_(o.bytes_) {
    o.data_ = nullptr;
    o.bytes_ = 0;
}

Buffer& Buffer::operator=(Buffer&& o) noexcept {
    if (this != &o) {
        if (data_) munmap(data_, bytes_);
        data_ = o.data_;
        bytes_ = o.bytes_;
        o.data_ = nullptr;
        o.bytes_ = 0;
    }
    return *this;
}

namespace {

// splitmix64: fast, good enough for benchmark data, seedable per chunk.
struct Rng {
    uint64_t s;
    uint64_t next() {
        uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    // uniform in [-1, 1)
    float unit() { return float(int32_t(uint32_t(next() >> 40) - (1u << 23))) * (1.0f / float(1 << 23)); }
};

void fill_range(void* data, int64_t b, int64_t e, Fill kind, uint64_t seed, float amp, int32_t bound) {
    Rng rng{seed * 0x2545f4914f6cdd1dull + uint64_t(b)};
    switch (kind) {
        case Fill::UNIFORM_F32: {
            float* d = static_cast<float*>(data);
            for (int64_t i = b; i < e; ++i) d[i] = amp * rng.unit();
            break;
        }
        case Fill::UNIFORM_BF16: {
            uint16_t* d = static_cast<uint16_t*>(data);
            for (int64_t i = b; i < e; ++i) d[i] = tf::f32_to_bf16(amp * rng.unit());
            break;
        }
        case Fill::UNIFORM_F16: {
            uint16_t* d = static_cast<uint16_t*>(data);
            for (int64_t i = b; i < e; ++i) d[i] = tf::f32_to_f16(amp * rng.unit());
            break;
        }
        case Fill::INT8: {
            int8_t* d = static_cast<int8_t*>(data);
            int64_t i = b;
            for (; i + 8 <= e; i += 8) {  // eight values per draw: 64 random bits
                uint64_t r = rng.next();
                for (int k = 0; k < 8; ++k, r >>= 8) d[i + k] = int8_t(int(r & 0xff) % 255 - 127);
            }
            for (; i < e; ++i) d[i] = int8_t(int(rng.next() & 0xff) % 255 - 127);
            break;
        }
        case Fill::INT32_BELOW: {
            int32_t* d = static_cast<int32_t*>(data);
            for (int64_t i = b; i < e; ++i) d[i] = int32_t(rng.next() % uint64_t(bound));
            break;
        }
    }
}

}  // namespace

void fill_random(void* data, int64_t count, Fill kind, uint64_t seed, int threads, float amplitude, int32_t bound) {
    if (count <= 0) return;
    threads = std::max(1, threads);
    // Chunks of a fixed size so that the values do not depend on the thread count.
    constexpr int64_t CHUNK = int64_t{1} << 20;
    const int64_t chunks = (count + CHUNK - 1) / CHUNK;
    std::vector<std::thread> team;
    auto work = [&](int t) {
        for (int64_t c = t; c < chunks; c += threads) {
            fill_range(data, c * CHUNK, std::min(count, (c + 1) * CHUNK), kind, seed, amplitude, bound);
        }
    };
    for (int t = 1; t < threads; ++t) team.emplace_back(work, t);
    work(0);
    for (auto& th : team) th.join();
}

void check(tf_status status, const char* what) {
    if (status != TF_OK) throw std::runtime_error(std::string(what) + " failed: " + tf_last_error());
}

std::string format_bytes(double bytes) {
    char buf[64];
    if (bytes >= 1024.0 * 1024 * 1024) {
        std::snprintf(buf, sizeof buf, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    } else if (bytes >= 1024.0 * 1024) {
        std::snprintf(buf, sizeof buf, "%.2f MiB", bytes / (1024.0 * 1024));
    } else {
        std::snprintf(buf, sizeof buf, "%.1f KiB", bytes / 1024.0);
    }
    return buf;
}

}  // namespace bench
