#include "report.h"

#include <cinttypes>
#include <cmath>

namespace bench {

namespace {

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string percent(double fraction) { return std::isfinite(fraction) ? fmt("%.1f %%", 100.0 * fraction) : "-"; }

// The fraction a row would have had without waiting for a CPU: an estimate that assumes the
// wait was spread evenly over the measurement (shown in brackets, "-" when nearly all waited).
std::string percent_on_cpu(double fraction, double wait) {
    return wait < 0.95 ? percent(fraction / (1.0 - std::max(0.0, wait))) : "-";
}

std::string params_text(int64_t n) {
    if (n >= 1000000000) return fmt("%.2f B", double(n) / 1e9);
    if (n >= 1000000) return fmt("%.2f M", double(n) / 1e6);
    return fmt("%.2f K", double(n) / 1e3);
}

std::string time_text(double s) {
    if (s >= 1) return fmt("%.3f s", s);
    if (s >= 1e-3) return fmt("%.3f ms", s * 1e3);
    return fmt("%.2f us", s * 1e6);
}

// CSV / JSON string escaping (quotes and backslashes; the texts here have no control chars).
std::string quoted(const std::string& s) {
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') o += '\\';
        o += c;
    }
    return o + "\"";
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"") == std::string::npos) return s;
    std::string o = "\"";
    for (char c : s) o += (c == '"') ? std::string("\"\"") : std::string(1, c);
    return o + "\"";
}

void print_md(const Report& r, std::FILE* out) {
    std::fprintf(out, "tfree4j-bench %s | CPU: %s | %d cores | simd: %s\n\n", r.version.c_str(), r.cpu.c_str(), r.cores,
                 r.simd.c_str());
    if (!r.machine.empty()) {
        std::fprintf(out, "| machine limit | value | how |\n| --- | ---: | --- |\n");
        for (const MachineRow& m : r.machine) {
            std::fprintf(out, "| %s | %.2f %s | %s |\n", m.name.c_str(), m.value, m.unit.c_str(), m.how.c_str());
        }
        std::fprintf(out, "\n");
    }
    if (!r.models.empty()) {
        std::fprintf(out,
                     "| model | size | params | backend | threads | test | t/s | bound t/s | of bound | CPU wait | "
                     "of bound if no wait | of adjacent bound | peak drift |\n"
                     "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (const ModelRow& m : r.models) {
            const bool adj = m.adjacent_fraction.n > 0;
            std::fprintf(out, "| %s | %s | %s | %s | %d | %s | %.2f ± %.2f | %.2f (%s) | %s | %s | (%s) | %s | %s |\n",
                         m.model.c_str(), format_bytes(double(m.size_bytes)).c_str(), params_text(m.params).c_str(),
                         m.backend.c_str(), m.threads, m.test.c_str(), m.words_per_s.mean, m.words_per_s.stddev,
                         m.bound_ts, m.bound.c_str(), percent(m.words_per_s.mean / m.bound_ts).c_str(),
                         percent(m.cpu_wait).c_str(), percent_on_cpu(m.words_per_s.mean / m.bound_ts, m.cpu_wait).c_str(),
                         adj ? percent(m.adjacent_fraction.mean).c_str() : "-",
                         adj ? percent(m.peak_drift).c_str() : "-");
        }
        std::fprintf(out, "\n");
    }
    if (!r.kernels.empty()) {
        std::fprintf(out,
                     "| kernel | shape | dtype | threads | time/call | GB/s | GOP/s | limit | of limit | CPU wait | note |\n"
                     "| --- | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |\n");
        for (const KernelRow& k : r.kernels) {
            const double t = k.seconds.mean;
            std::fprintf(out, "| %s | %s | %s | %d | %s ± %.1f %% | %s | %s | %s | %s | %s | %s |\n", k.kernel.c_str(),
                         k.shape.c_str(), k.dtype.c_str(), k.threads, time_text(t).c_str(),
                         t > 0 ? 100.0 * k.seconds.stddev / t : 0.0,
                         k.bytes > 0 ? fmt("%.2f", k.bytes / t / 1e9).c_str() : "-",
                         k.ops > 0 ? fmt("%.2f", k.ops / t / 1e9).c_str() : "-", k.limit.c_str(),
                         percent(k.fraction).c_str(), percent(k.cpu_wait).c_str(), k.note.c_str());
        }
        std::fprintf(out, "\n");
    }
    if (!r.memory.empty()) {
        std::fprintf(out,
                     "| memory | weights | KV cache | scratch | peak RSS | RSS over weights + KV |\n"
                     "| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (const MemoryRow& m : r.memory) {
            const double base = double(m.weights + m.kv_cache);
            std::fprintf(out, "| %s | %s | %s | %s | %s | %s%s |\n", m.model.c_str(),
                         format_bytes(double(m.weights)).c_str(), format_bytes(double(m.kv_cache)).c_str(),
                         format_bytes(double(m.scratch)).c_str(), format_bytes(double(m.peak_rss)).c_str(),
                         percent(double(m.peak_rss) / base - 1.0).c_str(),
                         m.rss_reset ? "" : " (peak of the whole process)");
        }
        std::fprintf(out, "\n");
    }
}

void print_csv(const Report& r, std::FILE* out) {
    std::fprintf(out,
                 "kind,name,size_bytes,n_params,backend,n_threads,test,n_prompt,n_gen,avg_ns,stddev_ns,avg_ts,"
                 "stddev_ts,bound_ts,bound,shape,dtype,gbps,gops,limit,fraction,value,unit,note,cpu_wait,"
                 "adjacent_fraction,peak_drift\n");
    for (const MachineRow& m : r.machine) {
        std::fprintf(out, "machine,%s,,,,,,,,,,,,,,,,,,,,%.4f,%s,%s,,,\n", csv_field(m.name).c_str(), m.value,
                     m.unit.c_str(), csv_field(m.how).c_str());
    }
    for (const ModelRow& m : r.models) {
        const bool adj = m.adjacent_fraction.n > 0;
        std::fprintf(out, "model,%s,%" PRId64 ",%" PRId64 ",%s,%d,%s,%d,%d,%.0f,%.0f,%.4f,%.4f,%.4f,%s,,,,,,%.4f,,,,%.4f,%s,%s\n",
                     csv_field(m.model).c_str(), m.size_bytes, m.params, m.backend.c_str(), m.threads, m.test.c_str(),
                     m.n_prompt, m.n_gen, m.seconds.mean * 1e9, m.seconds.stddev * 1e9, m.words_per_s.mean,
                     m.words_per_s.stddev, m.bound_ts, csv_field(m.bound).c_str(), m.words_per_s.mean / m.bound_ts,
                     m.cpu_wait, adj ? fmt("%.4f", m.adjacent_fraction.mean).c_str() : "",
                     adj ? fmt("%.4f", m.peak_drift).c_str() : "");
    }
    for (const KernelRow& k : r.kernels) {
        const double t = k.seconds.mean;
        std::fprintf(out, "kernel,%s,,,,%d,,,,%.0f,%.0f,,,,,%s,%s,%.4f,%.4f,%s,%.4f,,,%s,%.4f,,\n", csv_field(k.kernel).c_str(),
                     k.threads, t * 1e9, k.seconds.stddev * 1e9, csv_field(k.shape).c_str(), k.dtype.c_str(),
                     k.bytes > 0 ? k.bytes / t / 1e9 : 0.0, k.ops > 0 ? k.ops / t / 1e9 : 0.0,
                     csv_field(k.limit).c_str(), k.fraction, csv_field(k.note).c_str(), k.cpu_wait);
    }
    for (const MemoryRow& m : r.memory) {
        std::fprintf(out, "memory,%s,%" PRId64 ",,,,,,,,,,,,,,,,,weights+kv %" PRId64 ",%.4f,%" PRId64 ",bytes,%s,,,\n",
                     csv_field(m.model).c_str(), m.weights, m.weights + m.kv_cache,
                     double(m.peak_rss) / double(m.weights + m.kv_cache) - 1.0, m.peak_rss,
                     m.rss_reset ? "peak RSS of the model run" : "peak RSS of the whole process");
    }
}

void print_json(const Report& r, std::FILE* out) {
    std::fprintf(out, "{\n  \"version\": %s, \"cpu_info\": %s, \"cores\": %d, \"simd\": %s,\n", quoted(r.version).c_str(),
                 quoted(r.cpu).c_str(), r.cores, quoted(r.simd).c_str());
    std::fprintf(out, "  \"machine\": [");
    for (size_t i = 0; i < r.machine.size(); ++i) {
        const MachineRow& m = r.machine[i];
        std::fprintf(out, "%s\n    {\"name\": %s, \"value\": %.4f, \"unit\": %s, \"how\": %s}", i ? "," : "",
                     quoted(m.name).c_str(), m.value, quoted(m.unit).c_str(), quoted(m.how).c_str());
    }
    std::fprintf(out, "\n  ],\n  \"models\": [");
    for (size_t i = 0; i < r.models.size(); ++i) {
        const ModelRow& m = r.models[i];
        std::fprintf(out,
                     "%s\n    {\"model_type\": %s, \"model_size\": %" PRId64 ", \"model_n_params\": %" PRId64
                     ", \"backends\": %s, \"n_threads\": %d, \"test\": %s, \"n_prompt\": %d, \"n_gen\": %d, "
                     "\"avg_ns\": %.0f, \"stddev_ns\": %.0f, \"avg_ts\": %.4f, \"stddev_ts\": %.4f, "
                     "\"bound_ts\": %.4f, \"bound\": %s, \"fraction_of_bound\": %.4f, \"cpu_wait\": %.4f, "
                     "\"fraction_of_adjacent_bound\": %s, \"peak_drift\": %s}",
                     i ? "," : "", quoted(m.model).c_str(), m.size_bytes, m.params, quoted(m.backend).c_str(),
                     m.threads, quoted(m.test).c_str(), m.n_prompt, m.n_gen, m.seconds.mean * 1e9,
                     m.seconds.stddev * 1e9, m.words_per_s.mean, m.words_per_s.stddev, m.bound_ts,
                     quoted(m.bound).c_str(), m.words_per_s.mean / m.bound_ts, m.cpu_wait,
                     m.adjacent_fraction.n > 0 ? fmt("%.4f", m.adjacent_fraction.mean).c_str() : "null",
                     m.adjacent_fraction.n > 0 ? fmt("%.4f", m.peak_drift).c_str() : "null");
    }
    std::fprintf(out, "\n  ],\n  \"kernels\": [");
    for (size_t i = 0; i < r.kernels.size(); ++i) {
        const KernelRow& k = r.kernels[i];
        const double t = k.seconds.mean;
        std::fprintf(out,
                     "%s\n    {\"kernel\": %s, \"shape\": %s, \"dtype\": %s, \"n_threads\": %d, \"avg_ns\": %.0f, "
                     "\"stddev_ns\": %.0f, \"gbps\": %.4f, \"gops\": %.4f, \"limit\": %s, \"fraction\": %.4f, "
                     "\"note\": %s, \"cpu_wait\": %.4f}",
                     i ? "," : "", quoted(k.kernel).c_str(), quoted(k.shape).c_str(), quoted(k.dtype).c_str(),
                     k.threads, t * 1e9, k.seconds.stddev * 1e9, k.bytes > 0 ? k.bytes / t / 1e9 : 0.0,
                     k.ops > 0 ? k.ops / t / 1e9 : 0.0, quoted(k.limit).c_str(), k.fraction, quoted(k.note).c_str(),
                     k.cpu_wait);
    }
    std::fprintf(out, "\n  ],\n  \"memory\": [");
    for (size_t i = 0; i < r.memory.size(); ++i) {
        const MemoryRow& m = r.memory[i];
        std::fprintf(out,
                     "%s\n    {\"model\": %s, \"weights\": %" PRId64 ", \"kv_cache\": %" PRId64 ", \"scratch\": %" PRId64
                     ", \"peak_rss\": %" PRId64 ", \"rss_over_weights_kv\": %.4f, \"rss_reset\": %s}",
                     i ? "," : "", quoted(m.model).c_str(), m.weights, m.kv_cache, m.scratch, m.peak_rss,
                     double(m.peak_rss) / double(m.weights + m.kv_cache) - 1.0, m.rss_reset ? "true" : "false");
    }
    std::fprintf(out, "\n  ]\n}\n");
}

}  // namespace

void apply_limits(Report& r, const MachineLimits& limits) {
    for (ModelRow& m : r.models) {
        if (m.bound_of) m.bound_ts = m.bound_of(limits);
    }
    for (KernelRow& k : r.kernels) {
        if (!k.limit_of) continue;
        const double limit = k.limit_of(limits);
        k.limit = k.limit_name + " " + fmt("%.1f", limit) + " " + k.limit_unit;
        k.fraction = k.achieved / limit;
    }
}

void print_report(const Report& r, Format f, std::FILE* out) {
    switch (f) {
        case Format::MD: return print_md(r, out);
        case Format::CSV: return print_csv(r, out);
        case Format::JSON: return print_json(r, out);
    }
}

}  // namespace bench
