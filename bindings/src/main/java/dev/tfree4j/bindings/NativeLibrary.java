package dev.tfree4j.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.function.Function;

/**
 * Finds and loads libtfree4j once, and gives the generated bindings ({@link tfree4j_h}) its
 * symbols. Hand-written; not generated.
 *
 * <p>Where the library is looked for, first match wins:
 * <ol>
 *   <li>the system property {@value #PATH_PROPERTY}: the library file, or a directory holding it;
 *   <li>the environment variable {@value #PATH_ENV}: the same;
 *   <li>the classpath resource {@code /native/<platform>/libtfree4j.so} (the tfree4j-native jar),
 *       where platform is {@code linux-x86_64}, {@code linux-aarch64} or {@code osx-aarch64}
 *       ({@code .dylib} on macOS). A resource inside a jar is first copied to a private
 *       temporary directory (owner-only permissions, deleted when the JVM exits).
 * </ol>
 * An override that is set but wrong is an error, not a reason to fall back: a user who points
 * at a library wants that library. The library stays loaded for the life of the JVM
 * ({@link Arena#global()}).
 */
public final class NativeLibrary {

    /** System property naming the library file or its directory. */
    public static final String PATH_PROPERTY = "tfree4j.library.path";
    /** Environment variable naming the library file or its directory. */
    public static final String PATH_ENV = "TFREE4J_LIBRARY_PATH";
    static final String LIBRARY = "tfree4j";

    private record Loaded(Path path, SymbolLookup lookup) {}

    private static volatile Loaded loaded;

    private NativeLibrary() {}

    /**
     * The symbols of libtfree4j, loading it on first call (thread-safe; later calls are a volatile
     * read). A failure is not cached: a later call searches again.
     *
     * @throws UnsatisfiedLinkError if the library cannot be found or loaded; the message lists
     *     what was searched and how to override it
     */
    public static SymbolLookup lookup() {
        return load().lookup();
    }

    /** The file libtfree4j was loaded from (loading it if needed). */
    public static Path path() {
        return load().path();
    }

    @SuppressWarnings("restricted")
    private static Loaded load() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (NativeLibrary.class) {
                l = loaded;
                if (l == null) {
                    Path path = locate(System.getProperty(PATH_PROPERTY), System.getenv(PATH_ENV),
                            System.getProperty("os.name"), System.getProperty("os.arch"),
                            NativeLibrary.class::getResource);
                    SymbolLookup lookup;
                    try {
                        lookup = SymbolLookup.libraryLookup(path, Arena.global());
                    } catch (IllegalArgumentException e) {
                        UnsatisfiedLinkError error = new UnsatisfiedLinkError(
                                "cannot load " + path + ": " + e.getMessage() + " (is it a libtfree4j built for "
                                + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "?)");
                        error.initCause(e);
                        throw error;
                    }
                    loaded = l = new Loaded(path, lookup);
                }
            }
        }
        return l;
    }

    /** The library's file name on this OS: libtfree4j.so, libtfree4j.dylib, tfree4j.dll. */
    static String fileName(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.startsWith("darwin")) return "lib" + LIBRARY + ".dylib";
        if (os.startsWith("windows")) return LIBRARY + ".dll";
        return "lib" + LIBRARY + ".so";
    }

    /** linux-x86_64, linux-aarch64 or osx-aarch64; null for any other os.name/os.arch. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") || os.startsWith("darwin") ? "osx" : null;
        String a = switch (arch) {
            case "amd64", "x86_64", "x64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        if (o == null || a == null) return null;
        String platform = o + "-" + a;
        return platform.equals("osx-x86_64") ? null : platform;
    }

    /**
     * Where the library is, by the rules of the class comment; the inputs are parameters so that
     * tests can exercise every branch without touching the JVM's properties or environment.
     *
     * @param resources finds a classpath resource by absolute name, or returns null
     * @throws UnsatisfiedLinkError naming everything searched and how to override
     */
    static Path locate(String property, String env, String osName, String osArch, Function<String, URL> resources) {
        String file = fileName(osName);
        if (property != null && !property.isBlank()) {
            return override("system property " + PATH_PROPERTY, "-D" + PATH_PROPERTY + "=<path>", property, file);
        }
        if (env != null && !env.isBlank()) {
            return override("environment variable " + PATH_ENV, PATH_ENV + "=<path>", env, file);
        }
        String platform = platform(osName, osArch);
        String howToOverride = "Build libtfree4j for this machine (./build.sh package, or cmake on native/) and set -D"
                + PATH_PROPERTY + "=<file or directory> or " + PATH_ENV + "=<file or directory>.";
        if (platform == null) {
            throw new UnsatisfiedLinkError("tfree4j has no bundled native library for os.name=" + osName
                    + ", os.arch=" + osArch + " (bundled platforms: linux-x86_64, linux-aarch64, osx-aarch64), and neither"
                    + " system property " + PATH_PROPERTY + " nor environment variable " + PATH_ENV + " is set. "
                    + howToOverride);
        }
        String resource = "/native/" + platform + "/" + file;
        URL url = resources.apply(resource);
        if (url == null) {
            throw new UnsatisfiedLinkError("libtfree4j not found. Searched: system property " + PATH_PROPERTY
                    + " (not set), environment variable " + PATH_ENV + " (not set), classpath resource " + resource
                    + " (not found: is the tfree4j-native jar for " + platform + " on the classpath?). " + howToOverride);
        }
        return fromResource(url, file);
    }

    private static Path override(String source, String syntax, String value, String file) {
        Path path = Path.of(value.strip()).toAbsolutePath().normalize();
        if (Files.isDirectory(path)) {
            Path inDir = path.resolve(file);
            if (Files.isRegularFile(inDir)) return inDir;
            throw new UnsatisfiedLinkError(source + " is the directory " + path + ", which holds no " + file
                    + " (looked for " + inDir + "). Set " + syntax + " to " + file + " or the directory holding it,"
                    + " or unset it to use the bundled library.");
        }
        if (Files.isRegularFile(path)) return path;
        throw new UnsatisfiedLinkError(source + " names " + path + ", which does not exist. Set " + syntax
                + " to " + file + " or the directory holding it, or unset it to use the bundled library.");
    }

    /** The optional CUDA plugin, which libtfree4j dlopen()s from its own directory on first CUDA use. */
    static final String CUDA_PLUGIN = "libtfree4j_cuda.so";

    /**
     * Extracts the CUDA plugin beside an extracted libtfree4j when the jar bundles one (builds
     * with nvcc do); without it the CPU backend works and a CUDA request explains what is missing.
     */
    private static void extractCudaPlugin(URL library, Path dir) {
        String s = library.toString();
        try {
            URL plugin = URI.create(s.substring(0, s.lastIndexOf('/') + 1) + CUDA_PLUGIN).toURL();
            Path target = dir.resolve(CUDA_PLUGIN);
            try (InputStream in = plugin.openStream()) {
                target.toFile().deleteOnExit();  // before the directory (reverse registration order)
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | IllegalArgumentException e) {
            // Not bundled (a build without nvcc, or not Linux): nothing to extract.
        }
    }

    /** The library file behind a classpath resource: used in place if a plain file, else extracted. */
    private static Path fromResource(URL url, String file) {
        try {
            if (url.getProtocol().equals("file")) {
                return Path.of(url.toURI());  // an exploded classes directory, e.g. native/target/classes
            }
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            Path dir = posix
                    ? Files.createTempDirectory("tfree4j-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                    : Files.createTempDirectory("tfree4j-");
            Path target = dir.resolve(file);
            // deleteOnExit runs in reverse registration order: the file first, then its directory.
            dir.toFile().deleteOnExit();
            target.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            extractCudaPlugin(url, dir);
            return target;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError("found " + url + " but cannot extract it to a"
                    + " temporary directory (" + e + "). Set -D" + PATH_PROPERTY + " or " + PATH_ENV
                    + " to a libtfree4j file to load it in place.");
            error.initCause(e);
            throw error;
        }
    }
}
