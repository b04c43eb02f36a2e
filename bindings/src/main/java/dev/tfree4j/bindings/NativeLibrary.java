package dev.tfree4j.bindings;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 *       temporary directory (owner-only permissions, deleted when the JVM exits; the directories
 *       of JVMs that crashed are deleted by the next JVM that extracts the library).
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

    /** Prefix of the private directories that extracted libraries live in. */
    static final String TEMP_PREFIX = "tfree4j-";
    /** The file in such a directory that its JVM keeps locked while it lives. */
    static final String IN_USE_LOCK = ".in-use";
    /** Held open (never closed, never collected) so that their locks last as long as this JVM. */
    private static final java.util.List<FileChannel> IN_USE = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /**
     * Locks {@code dir}'s in-use file for the life of this JVM. deleteOnExit does not run when a
     * JVM crashes or is killed; the lock, which the OS drops with the process, tells a later JVM
     * that the directory's owner is gone ({@link #deleteStaleCopies}).
     */
    private static void holdInUseLock(Path dir) throws IOException {
        Path lock = dir.resolve(IN_USE_LOCK);
        FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        lock.toFile().deleteOnExit();
        channel.lock();
        IN_USE.add(channel);
    }

    /**
     * Deletes the extraction directories in {@code tmp} whose JVM is gone: a directory named
     * {@code tfree4j-*}, holding nothing but the library files and an in-use file that nobody has
     * locked. Anything else — another user's or a running JVM's directory, a symlink, unexpected
     * contents, a directory from a version without the lock — is left alone. Never throws.
     */
    static void deleteStaleCopies(Path tmp) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, TEMP_PREFIX + "*")) {
            for (Path dir : dirs) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) continue;
                Path lock = dir.resolve(IN_USE_LOCK);
                if (!Files.isRegularFile(lock, LinkOption.NOFOLLOW_LINKS) || !onlyLibraryFiles(dir)) continue;
                try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
                     FileLock held = channel.tryLock()) {
                    if (held == null) continue;  // another JVM holds it: in use
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                        for (Path f : files) Files.delete(f);
                    }
                    Files.delete(dir);
                } catch (OverlappingFileLockException | IOException e) {
                    // this JVM holds it, or it vanished or cannot be deleted now: leave it
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable temporary directory: nothing to clean
        }
    }

    private static boolean onlyLibraryFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                boolean expected = name.equals(IN_USE_LOCK) || name.equals(CUDA_PLUGIN) || name.startsWith("lib" + LIBRARY + ".")
                        || name.equals(LIBRARY + ".dll");
                if (!expected || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) return false;
            }
        }
        return true;
    }

    /** The library file behind a classpath resource: used in place if a plain file, else extracted. */
    private static Path fromResource(URL url, String file) {
        try {
            if (url.getProtocol().equals("file")) {
                return Path.of(url.toURI());  // an exploded classes directory, e.g. native/target/classes
            }
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            deleteStaleCopies(tmp);
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            Path dir = posix
                    ? Files.createTempDirectory(tmp, TEMP_PREFIX, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                    : Files.createTempDirectory(tmp, TEMP_PREFIX);
            Path target = dir.resolve(file);
            // deleteOnExit runs in reverse registration order: the files first, then their directory.
            dir.toFile().deleteOnExit();
            holdInUseLock(dir);
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
