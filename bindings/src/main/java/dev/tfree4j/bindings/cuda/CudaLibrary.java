package dev.tfree4j.bindings.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds and loads the CUDA runtime library (libcudart) for the generated bindings
 * ({@link cuda_runtime_h}), on first use only: a JVM that never asks about CUDA never maps it.
 * Hand-written; not generated.
 *
 * <p>Where it is looked for, first match wins:
 * <ol>
 *   <li>the system property {@value #PATH_PROPERTY}, else the environment variable
 *       {@value #PATH_ENV}: the library file, or a directory holding {@value #FILE_NAME}. An
 *       override that is set but wrong is an error, not a reason to look elsewhere;
 *   <li>{@value #FILE_NAME} by name, through the dynamic loader's usual search
 *       ({@code LD_LIBRARY_PATH}, the ld.so cache);
 *   <li>{@code $CUDA_HOME/lib64}, {@code $CUDA_PATH/lib64}, {@code /usr/local/cuda/lib64}.
 * </ol>
 * Only the major version the bindings were generated for ({@value #MAJOR}) is looked for:
 * {@code struct cudaDeviceProp} changes between major versions, so another runtime must not be
 * called through these bindings.
 *
 * <p>The outcome, success or failure, is decided once per JVM (holder class) and kept: the
 * library stays loaded for the life of the JVM ({@link Arena#global()}).
 */
public final class CudaLibrary {

    /** System property naming the libcudart file or its directory. */
    public static final String PATH_PROPERTY = "tfree4j.cudart.path";
    /** Environment variable naming the libcudart file or its directory. */
    public static final String PATH_ENV = "TFREE4J_CUDART_PATH";
    /** The CUDA major version of the generated bindings (see their first line, CUDART_VERSION). */
    public static final int MAJOR = 13;
    /** The library's file name (its soname). */
    public static final String FILE_NAME = "libcudart.so." + MAJOR;

    /** Where the library was loaded from (a path, or the file name the dynamic loader resolved), or why not. */
    record Outcome(String path, SymbolLookup lookup, String problem) {}

    private static final class Holder {
        static final Outcome OUTCOME = load(System.getProperty(PATH_PROPERTY), System.getenv(PATH_ENV),
                List.of(System.getenv().getOrDefault("CUDA_HOME", ""), System.getenv().getOrDefault("CUDA_PATH", ""),
                        "/usr/local/cuda"));
    }

    private CudaLibrary() {}

    /** Null when libcudart is loaded (loading it now if needed), else why it cannot be; never throws. */
    public static String problem() {
        return Holder.OUTCOME.problem();
    }

    /**
     * The symbols of libcudart.
     *
     * @throws UnsatisfiedLinkError with {@link #problem()} as its message if it cannot be loaded
     */
    public static SymbolLookup lookup() {
        Outcome o = Holder.OUTCOME;
        if (o.lookup() == null) throw new UnsatisfiedLinkError(o.problem());
        return o.lookup();
    }

    /** What libcudart was loaded from: a file, or {@value #FILE_NAME} as the dynamic loader found it. */
    public static String path() {
        lookup();
        return Holder.OUTCOME.path();
    }

    /**
     * Loads libcudart by the rules of the class comment; the inputs are parameters so that tests
     * can exercise every branch without touching this JVM's properties or environment.
     *
     * @param homes CUDA installation directories whose lib64 is searched (blank entries are skipped)
     */
    static Outcome load(String property, String env, List<String> homes) {
        if (property != null && !property.isBlank()) return loadOverride("system property " + PATH_PROPERTY, property);
        if (env != null && !env.isBlank()) return loadOverride("environment variable " + PATH_ENV, env);
        List<String> looked = new ArrayList<>();
        looked.add(FILE_NAME + " on the dynamic loader's path (LD_LIBRARY_PATH, ld.so cache)");
        try {
            return new Outcome(FILE_NAME, libraryLookup(FILE_NAME), null);
        } catch (IllegalArgumentException e) {
            // not on the loader's path: try the usual installation directories
        }
        for (String home : homes) {
            if (home.isBlank()) continue;
            Path file = Path.of(home, "lib64", FILE_NAME).toAbsolutePath().normalize();
            if (looked.contains(file.toString())) continue;
            looked.add(file.toString());
            if (!Files.isRegularFile(file)) continue;
            try {
                return new Outcome(file.toString(), libraryLookup(file.toString()), null);
            } catch (IllegalArgumentException e) {
                return new Outcome(null, null, "CUDA runtime library " + file + " cannot be loaded: " + e.getMessage());
            }
        }
        return new Outcome(null, null, "CUDA runtime library not found (looked in: " + String.join(", ", looked)
                + "). Install the CUDA " + MAJOR + " runtime, or set -D" + PATH_PROPERTY + " or " + PATH_ENV
                + " to " + FILE_NAME + " or the directory holding it.");
    }

    private static Outcome loadOverride(String source, String value) {
        Path path = Path.of(value.strip()).toAbsolutePath().normalize();
        Path file = Files.isDirectory(path) ? path.resolve(FILE_NAME) : path;
        if (!Files.isRegularFile(file)) {
            return new Outcome(null, null, "CUDA runtime library not found: " + source + " names " + file
                    + (file.equals(path) ? "" : " (in the directory " + path + ")") + ", which does not exist");
        }
        try {
            return new Outcome(file.toString(), libraryLookup(file.toString()), null);
        } catch (IllegalArgumentException e) {
            return new Outcome(null, null, "CUDA runtime library " + file + " (from " + source + ") cannot be loaded: "
                    + e.getMessage());
        }
    }

    @SuppressWarnings("restricted")
    private static SymbolLookup libraryLookup(String nameOrPath) {
        return SymbolLookup.libraryLookup(nameOrPath, Arena.global());
    }
}
