// Resident memory of this process, for the "weights + KV cache + < 10 %" check.
#pragma once
#include <cstdint>

namespace bench {

// Resets the peak-RSS high-water mark (Linux /proc/self/clear_refs, value 5); false if the
// kernel does not allow it, in which case peak_rss_bytes() covers the whole process life.
bool reset_peak_rss();

// VmHWM of /proc/self/status (peak resident set), or getrusage's ru_maxrss; bytes.
int64_t peak_rss_bytes();

// VmRSS: resident now, bytes (0 if unknown).
int64_t current_rss_bytes();

}  // namespace bench
