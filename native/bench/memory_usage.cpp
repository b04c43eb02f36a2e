#include "memory_usage.h"

#include <sys/resource.h>

#include <fstream>
#include <string>

namespace bench {

namespace {

// A "Key:   123 kB" line of /proc/self/status in bytes, or -1.
int64_t status_kb(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string k = std::string(key) + ":";
    while (std::getline(in, line)) {
        if (line.compare(0, k.size(), k) == 0) return std::stoll(line.substr(k.size())) * 1024;
    }
    return -1;
}

}  // namespace

bool reset_peak_rss() {
    std::ofstream out("/proc/self/clear_refs");
    if (!out) return false;
    out << "5";
    out.flush();
    return bool(out);
}

int64_t peak_rss_bytes() {
    const int64_t hwm = status_kb("VmHWM");
    if (hwm >= 0) return hwm;
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return int64_t(u.ru_maxrss) * 1024;
}

int64_t current_rss_bytes() {
    const int64_t rss = status_kb("VmRSS");
    return rss < 0 ? 0 : rss;
}

}  // namespace bench
