package dev.tfree4j.jmh;

import dev.tfree4j.bindings.tf_context_params;
import dev.tfree4j.bindings.tfree4j_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one FFM downcall into libtfree4j, against a Java call that does the same nothing:
 * <ul>
 *   <li>{@code javaField}: reads a field (the baseline JMH itself costs);
 *   <li>{@code tfContextSimd}: a native getter (the bare downcall);
 *   <li>{@code tfAddOneFloat}: the smallest kernel call, tf_add of one float on a one-thread
 *       context (downcall + argument checks + status);
 *   <li>{@code tfForwardParamsInit}: a downcall that writes a struct in a confined arena, as the
 *       runtime's wrappers do per call (arena open/close included).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class FfmCallBenchmark {
    private final Arena arena = Arena.ofShared();
    private MemorySegment ctx;
    private MemorySegment x;
    private MemorySegment y;
    private int simd = 1;

    @Setup(Level.Trial)
    public void create() {
        MemorySegment params = tf_context_params.allocate(arena);
        tfree4j_h.tf_context_params_init(params);
        tf_context_params.n_threads(params, 1);
        MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        if (tfree4j_h.tf_context_create(params, out) != tfree4j_h.TF_OK()) throw new IllegalStateException("tf_context_create failed");
        ctx = out.get(ValueLayout.ADDRESS, 0);
        x = arena.allocate(ValueLayout.JAVA_FLOAT, 1);
        y = arena.allocate(ValueLayout.JAVA_FLOAT, 1);
    }

    @TearDown(Level.Trial)
    public void free() {
        tfree4j_h.tf_context_free(ctx);
        arena.close();
    }

    @Benchmark
    public int javaField() {
        return simd;
    }

    @Benchmark
    public int tfContextSimd() {
        return tfree4j_h.tf_context_simd(ctx);
    }

    @Benchmark
    public int tfAddOneFloat() {
        return tfree4j_h.tf_add(ctx, x, y, 1);
    }

    @Benchmark
    public int tfForwardParamsInit() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment p = dev.tfree4j.bindings.tf_forward_params.allocate(call);
            tfree4j_h.tf_forward_params_init(p);
            return dev.tfree4j.bindings.tf_forward_params.logits_rows(p);
        }
    }
}
