// Machine limits: the SIMD loops live in bench/avx2 and bench/avx512 (peak_loops.h); this file
// picks the best level the CPU has, runs them on all threads at once and keeps the best run.
#include "machine_limits.h"

#include <algorithm>
#include <time.h>

#include <atomic>
#include <cstdio>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "cpu_wait.h"
#include "peak_loops.h"

namespace bench {

namespace scalar {
uint64_t read_sum(const void* data, size_t bytes) {
    const uint64_t* p = static_cast<const uint64_t*>(data);
    const size_t n = bytes / 8;
    uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (size_t i = 0; i + 4 <= n; i += 4) {
        s0 += p[i];
        s1 += p[i + 1];
        s2 += p[i + 2];
        s3 += p[i + 3];
    }
    return s0 + s1 + s2 + s3;
}
}  // namespace scalar

namespace {

enum class Level { SCALAR, AVX2, AVX512 };

Level best_level() {
#if defined(TFREE4J_X86)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) return Level::AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Level::AVX2;
#endif
    return Level::SCALAR;
}

double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

// Runs fn(t) on threads t = 0..n-1, started together; returns the largest per-thread CPU time.
// CPU time, not wall time: on a machine shared with other work a thread may wait for a CPU,
// and a limit of the hardware should not depend on the neighbours (time a thread spends
// stalled on memory is CPU time, so the bandwidth still counts it).
double run_team(int n, const std::function<void(int)>& fn) {
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<double> cpu(size_t(n), 0.0);
    auto timed = [&](int t) {
        const double c0 = thread_cpu_seconds();
        fn(t);
        cpu[size_t(t)] = thread_cpu_seconds() - c0;
    };
    std::vector<std::thread> team;
    for (int t = 1; t < n; ++t) {
        team.emplace_back([&, t] {
            ready.fetch_add(1);
            while (!go.load(std::memory_order_acquire)) {
            }
            timed(t);
        });
    }
    while (ready.load() < n - 1) {
    }
    go.store(true, std::memory_order_release);
    timed(0);
    for (auto& th : team) th.join();
    return *std::max_element(cpu.begin(), cpu.end());
}

std::atomic<uint64_t> g_sink{0};

// ", threads waited 12 % of the time for a CPU" (how much other work disturbed the run).
std::string waited(double share) {
    char buf[80];
    std::snprintf(buf, sizeof buf, ", threads waited %.0f %% of the time for a CPU", 100.0 * share);
    return buf;
}  // results of measured loops go here so they are not optimised away

Limit bandwidth(int threads, size_t bytes, int reps, Level level) {
    constexpr size_t PAGE = 4096;
    const size_t part = std::max(PAGE, bytes / size_t(threads) / PAGE * PAGE);
    Buffer buf(part * size_t(threads));
    // Each thread touches its own part first (commits the pages; first-touch placement).
    run_team(threads, [&](int t) {
        fill_random(buf.as<uint8_t>() + size_t(t) * part, int64_t(part / 4), Fill::INT32_BELOW, uint64_t(t), 1, 1,
                    1 << 30);
    });
    uint64_t (*read)(const void*, size_t) = scalar::read_sum;
    const char* simd = "scalar";
#if defined(TFREE4J_X86)
    if (level == Level::AVX512) read = avx512::read_sum, simd = "avx512";
    else if (level == Level::AVX2) read = avx2::read_sum, simd = "avx2";
#endif
    double best = 1e300;
    const WaitMeter wait;
    for (int r = 0; r < std::max(1, reps); ++r) {
        best = std::min(best, run_team(threads, [&](int t) {
                            g_sink.fetch_add(read(buf.as<uint8_t>() + size_t(t) * part, part));
                        }));
    }
    Limit l;
    l.value = double(part) * threads / best / 1e9;
    l.how = std::string(simd) + " streaming sum, " + std::to_string(threads) + " threads, " +
            format_bytes(double(part) * threads) + " buffer, best of " + std::to_string(std::max(1, reps)) +
            waited(wait.share(threads));
    return l;
}

// Iterations of `loop` for ~0.2 s: doubled until one run takes >= 20 ms, then times 10.
int64_t calibrate(const PeakLoop& loop) {
    int64_t iters = 1 << 16;
    for (;;) {
        const double t0 = thread_cpu_seconds();
        g_sink.fetch_add(uint64_t(loop.run(iters)));
        if (thread_cpu_seconds() - t0 >= 0.02 || iters > (int64_t{1} << 40)) break;
        iters *= 2;
    }
    return iters * 10;
}

// Runs each peak loop on every thread for ~0.2 s per repetition, the loops taking turns within
// a repetition (so that two loops compared with each other see the same load from other
// tenants); per loop its best repetition.
std::vector<Limit> peaks(int threads, int reps, const std::vector<const PeakLoop*>& loops) {
    std::vector<int64_t> iters;
    for (const PeakLoop* loop : loops) iters.push_back(calibrate(*loop));
    std::vector<double> best(loops.size(), 1e300);
    const WaitMeter wait;
    for (int r = 0; r < std::max(1, reps); ++r) {
        for (size_t i = 0; i < loops.size(); ++i) {
            best[i] = std::min(best[i], run_team(threads, [&](int) {
                                   g_sink.fetch_add(uint64_t(loops[i]->run(iters[i])));
                               }));
        }
    }
    std::vector<Limit> out;
    for (size_t i = 0; i < loops.size(); ++i) {
        Limit l;
        l.value = loops[i]->ops_per_iteration * double(iters[i]) * threads / best[i] / 1e9;
        l.how = std::string(loops[i]->how) + ", " + std::to_string(threads) + " threads, best of " +
                std::to_string(std::max(1, reps)) + (loops.size() > 1 ? " (taking turns with the other int8 loop)" : "") +
                waited(wait.share(threads));
        out.push_back(l);
    }
    return out;
}

Limit peak(int threads, int reps, const PeakLoop& loop) { return peaks(threads, reps, {&loop})[0]; }

// Plain C++ stand-ins where the CPU has no AVX2 (whatever the compiler makes of them).
double scalar_fma(int64_t iters) {
    float acc[16];
    for (int k = 0; k < 16; ++k) acc[k] = 0.001f * float(k + 1);
    for (int64_t i = 0; i < iters; ++i)
        for (float& a : acc) a = a * 0.9999999f + 1e-7f;
    double s = 0;
    for (float a : acc) s += a;
    return s;
}

double scalar_i8(int64_t iters) {
    int32_t acc[16] = {};
    int8_t a = 3;
    for (int64_t i = 0; i < iters; ++i) {
        asm volatile("" : "+r"(a));
        for (int k = 0; k < 16; ++k) acc[k] += int32_t(a) * int32_t(k - 17);  // no factor 0: no chain to drop
    }
    double s = 0;
    for (int32_t v : acc) s += v;
    return s;
}

const PeakLoop scalar_f32_loop = {scalar_fma, 16.0 * 2, "scalar C++: 16 f32 multiply-add chains"};
const PeakLoop scalar_i8_loop = {scalar_i8, 16.0 * 2, "scalar C++: 16 int32 multiply-add chains"};

}  // namespace

MachineLimits better_of(const MachineLimits& a, const MachineLimits& b) {
    auto pick = [](const Limit& x, const Limit& y) {
        Limit l = x.value >= y.value ? x : y;
        char buf[96];
        std::snprintf(buf, sizeof buf, "; the higher of %.2f (start) and %.2f (end)", x.value, y.value);
        l.how += buf;
        return l;
    };
    return MachineLimits{pick(a.read_bandwidth, b.read_bandwidth), pick(a.f32_peak, b.f32_peak),
                         pick(a.i8_peak, b.i8_peak), pick(a.i8_exact_peak, b.i8_exact_peak)};
}

namespace {

// The peak loops of this CPU's best SIMD level.
struct PeakLoops {
    const PeakLoop* f32 = &scalar_f32_loop;
    const PeakLoop* i8 = &scalar_i8_loop;
    const PeakLoop* i8_exact = nullptr;  // null: i8 is exact itself
};

PeakLoops peak_loops(Level level) {
    PeakLoops p;
#if defined(TFREE4J_X86)
    if (level == Level::AVX512) {
        p.f32 = &avx512::f32_fma;
        const bool vnni = __builtin_cpu_supports("avx512vnni") && avx512::i8_dot_vnni.run;
        p.i8 = vnni ? &avx512::i8_dot_vnni : &avx512::i8_dot;
        p.i8_exact = vnni ? nullptr : &avx512::i8_exact;
    } else if (level == Level::AVX2) {
        p.f32 = &avx2::f32_fma;
        p.i8 = &avx2::i8_dot;
        p.i8_exact = &avx2::i8_exact;
    }
#else
    (void)level;
#endif
    return p;
}

}  // namespace

MachineLimits measure_machine(int threads, size_t buffer_bytes, int reps) {
    threads = std::max(1, threads);
    const Level level = best_level();
    const PeakLoops loops = peak_loops(level);
    MachineLimits m;
    m.read_bandwidth = bandwidth(threads, buffer_bytes, reps, level);
    m.f32_peak = peak(threads, reps, *loops.f32);
    if (loops.i8_exact) {
        const std::vector<Limit> i8 = peaks(threads, reps, {loops.i8, loops.i8_exact});
        m.i8_peak = i8[0];
        m.i8_exact_peak = i8[1];
    } else {
        m.i8_peak = peak(threads, reps, *loops.i8);
        m.i8_exact_peak = {m.i8_peak.value, "the int8 dot loop above, which is exact here"};
    }
    return m;
}

double measure_peak(bool int8, int threads, int reps) {
    const PeakLoops loops = peak_loops(best_level());
    return peak(std::max(1, threads), reps, int8 ? *loops.i8 : *loops.f32).value;
}

}  // namespace bench
