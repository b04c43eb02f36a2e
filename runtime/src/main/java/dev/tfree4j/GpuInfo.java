package dev.tfree4j;

/**
 * One CUDA device as the CUDA runtime describes it.
 *
 * @param ordinal the CUDA device ordinal ({@code cuda:N})
 * @param name e.g. "NVIDIA H100 80GB HBM3"
 * @param computeMajor compute capability, major (9 for Hopper)
 * @param computeMinor compute capability, minor
 * @param multiprocessors streaming multiprocessors
 * @param totalMemory global memory in bytes
 * @param freeMemory free global memory in bytes, or -1 when not queried (it needs a CUDA context)
 * @param clockKhz peak SM clock in kHz, or -1 when the runtime does not report it
 * @param memoryClockKhz peak memory clock in kHz, or -1 when the runtime does not report it
 * @param memoryBusWidthBits global memory bus width in bits
 * @param l2CacheBytes L2 cache size in bytes
 */
public record GpuInfo(int ordinal, String name, int computeMajor, int computeMinor, int multiprocessors,
                      long totalMemory, long freeMemory, int clockKhz, int memoryClockKhz, int memoryBusWidthBits,
                      int l2CacheBytes) {

    /** "9.0" */
    public String computeCapability() {
        return computeMajor + "." + computeMinor;
    }
}
