package dev.tfree4j.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Memory counters of this process for leak tests, each seeing a different kind of leak:
 * <ul>
 *   <li>{@link #mallocInUse()}: bytes malloc'd and not freed, all glibc arenas (mallinfo2:
 *       uordblks + hblkhd) — what libtfree4j's new/malloc and the JVM's native allocations
 *       (FFM arenas too) hold; exact, unlike RSS;
 *   <li>{@link #rssBytes()}: resident set size from /proc/self/status (everything, noisy);
 *   <li>{@link #heapUsedAfterGc()}: Java heap in use after a full GC;
 *   <li>{@link #nmtCommitted()}: the JVM's Native Memory Tracking total without the Java heap
 *       (which G1 grows and keeps after load spikes: committed, not leaked), when the JVM runs
 *       with {@code -XX:NativeMemoryTracking=summary} (tools/soak.sh sets it);
 *   <li>{@link #mappingsOf(String)}: memory mappings of files whose path contains a fragment
 *       (a model's weights are mapped; a closed model must leave none).
 * </ul>
 */
final class MemoryProbe {
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"), ValueLayout.JAVA_LONG.withName("ordblks"),
            ValueLayout.JAVA_LONG.withName("smblks"), ValueLayout.JAVA_LONG.withName("hblks"),
            ValueLayout.JAVA_LONG.withName("hblkhd"), ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"), ValueLayout.JAVA_LONG.withName("uordblks"),
            ValueLayout.JAVA_LONG.withName("fordblks"), ValueLayout.JAVA_LONG.withName("keepcost"));
    private static final MethodHandle MALLINFO2_FN = Linker.nativeLinker().defaultLookup().find("mallinfo2")
            .map(addr -> Linker.nativeLinker().downcallHandle(addr, FunctionDescriptor.of(MALLINFO2)))
            .orElse(null);

    private MemoryProbe() {}

    /** One sample of every counter. */
    record Sample(long cycle, long mallocInUse, long rss, long heap, long nmt, int mappings) {
        @Override
        public String toString() {
            return String.format("cycle %d: malloc %.1f MB, rss %.1f MB, heap %.1f MB, nmt %s, mappings %d", cycle,
                    mallocInUse / 1e6, rss / 1e6, heap / 1e6, nmt < 0 ? "n/a" : String.format("%.1f MB", nmt / 1e6), mappings);
        }
    }

    static Sample sample(long cycle, String mappedFragment) {
        long heap = heapUsedAfterGc();
        return new Sample(cycle, mallocInUse(), rssBytes(), heap, nmtCommitted(), mappingsOf(mappedFragment));
    }

    /** Bytes in use by malloc across all arenas, or -1 where mallinfo2 is missing (not glibc >= 2.33). */
    static long mallocInUse() {
        if (MALLINFO2_FN == null) return -1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) MALLINFO2_FN.invokeExact((SegmentAllocator) arena);
            return info.get(ValueLayout.JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks")))
                    + info.get(ValueLayout.JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd")));
        } catch (Throwable t) {
            throw new IllegalStateException("mallinfo2 failed", t);
        }
    }

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long heapUsedAfterGc() {
        for (int i = 0; i < 2; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** NMT's committed total minus the Java heap's, in bytes, or -1 when NMT is off. */
    static long nmtCommitted() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary", "scale=KB"}}, new String[] {String[].class.getName()});
            String text = String.valueOf(out);
            Matcher total = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(text);
            Matcher heap = Pattern.compile("Java Heap \\(reserved=\\d+KB, committed=(\\d+)KB").matcher(text);
            if (!total.find()) return -1;
            long heapKb = heap.find() ? Long.parseLong(heap.group(1)) : 0;
            return (Long.parseLong(total.group(1)) - heapKb) * 1024;
        } catch (Exception e) {
            return -1;
        }
    }

    static int mappingsOf(String pathFragment) {
        try {
            return (int) Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains(pathFragment)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Least-squares slope of y over x (bytes per cycle). */
    static double slope(long[] x, long[] y) {
        int n = x.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
        mx /= n;
        my /= n;
        double num = 0, den = 0;
        for (int i = 0; i < n; i++) { num += (x[i] - mx) * (y[i] - my); den += (x[i] - mx) * (x[i] - mx); }
        return den == 0 ? 0 : num / den;
    }
}
