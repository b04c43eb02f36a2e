package dev.tfree4j.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.model.ConvertedConfig;
import dev.tfree4j.model.ModelDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The output of a conversion, written into a hidden temporary directory beside the target and
 * renamed into place only when complete, so a failed or interrupted conversion never leaves a
 * half-written model under the target's name, nor the parent directories it had to create.
 *
 * <p>What may be written where, checked before anything is created (a conversion must never
 * destroy data it was not asked to replace):
 * <ul>
 *   <li>never the source model, a directory inside it (a {@code config.json} directory there
 *       would make it unloadable), or a directory that contains it;
 *   <li>never the working directory or one of its ancestors;
 *   <li>an existing target only with {@code replace} (the CLI's {@code --force}), and only if it
 *       is an empty directory or itself a converted model: never a file, a symlink or another
 *       directory, whose contents would be deleted.
 * </ul>
 */
final class OutputDirectory {
    private final Path target;
    private final Path temp;
    private final Path createdParents;  // the topmost parent directory prepare created, or null

    private OutputDirectory(Path target, Path temp, Path createdParents) {
        this.target = target;
        this.temp = temp;
        this.createdParents = createdParents;
    }

    /** Checks {@code target} against {@code source} and creates the temporary directory. */
    static OutputDirectory prepare(Path source, Path target, boolean replace) {
        Path out = target.toAbsolutePath().normalize();
        try {
            Path real = realPathOfPossiblyMissing(out);
            Path src = source.toRealPath();
            if (src.startsWith(real)) {
                throw new IllegalArgumentException(out + " is or contains the source model " + source
                        + "; choose another output directory");
            }
            if (real.startsWith(src)) {
                throw new IllegalArgumentException(out + " is inside the source model " + source
                        + "; choose an output directory outside it");
            }
            if (Path.of("").toRealPath().startsWith(real)) {
                throw new IllegalArgumentException(out + " is or contains the working directory; choose another output directory");
            }
            if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                if (!replace) throw new IllegalArgumentException(out + " already exists; pass --force to replace it");
                if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IllegalArgumentException(out + " exists and is not a directory; --force replaces only an empty"
                            + " directory or a converted model");
                }
                if (!isEmpty(out) && !isConvertedModel(out)) {
                    throw new IllegalArgumentException(out + " is neither empty nor a converted model (no config.json with"
                            + " \"format\": \"" + ConvertedConfig.FORMAT + "\"); --force replaces only those");
                }
            }
            if (out.getParent() == null) throw new IllegalArgumentException("cannot write a model to " + out);
            Path createdParents = firstMissing(out.getParent());
            Files.createDirectories(out.getParent());
            try {
                return new OutputDirectory(out, createSibling(out, ".tmp-"), createdParents);
            } catch (IOException e) {
                deleteEmptyParents(out.getParent(), createdParents);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an output directory beside " + out + ": " + e.getMessage(), e);
        }
    }

    /** The real path of {@code path}: that of its deepest existing ancestor, with the missing rest appended. */
    private static Path realPathOfPossiblyMissing(Path path) throws IOException {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        if (existing == null) return path;
        Path rest = existing.relativize(path);
        // A symlink as the target itself is judged as the link, not what it points to.
        Path real = existing.equals(path) && Files.isSymbolicLink(path)
                ? path.getParent().toRealPath().resolve(path.getFileName()) : existing.toRealPath();
        return real.resolve(rest).normalize();
    }

    /** The topmost missing directory on the way to {@code dir}, or null when {@code dir} exists. */
    private static Path firstMissing(Path dir) {
        Path missing = null;
        for (Path p = dir; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) missing = p;
        return missing;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** A directory whose config.json (a small regular file) says it is in the tfree4j format. */
    private static boolean isConvertedModel(Path dir) {
        Path config = dir.resolve(ModelDirectory.CONFIG_JSON);
        try {
            if (!Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS) || Files.size(config) > MAX_CONFIG_BYTES) return false;
            JsonNode root = new ObjectMapper().readTree(config.toFile());
            return root != null && ConvertedConfig.FORMAT.equals(root.path("format").asText(null));
        } catch (IOException e) {
            return false;
        }
    }

    /** Larger config.json files are not converted models' (theirs are a few KiB). */
    private static final long MAX_CONFIG_BYTES = 1 << 20;

    /** Deletes the directories from {@code deepest} up to {@code topmost} (inclusive) while they are empty. */
    private static void deleteEmptyParents(Path deepest, Path topmost) {
        if (topmost == null) return;
        for (Path p = deepest; p != null && p.startsWith(topmost); p = p.getParent()) {
            try {
                Files.delete(p);
            } catch (IOException e) {
                return;  // not empty (someone else wrote there) or already gone: leave it
            }
        }
    }

    /** Where to write the files. */
    Path temp() {
        return temp;
    }

    Path target() {
        return target;
    }

    /** Moves the finished directory to the target, replacing an existing one (checked in {@link #prepare}). */
    void commit() {
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Path old = createSibling(target, ".old-");
                Files.delete(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(old);
            } else {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the converted model to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the temporary directory and the parents prepare created (after a failure); never throws. */
    void abandon() {
        try {
            deleteTree(temp);
        } catch (IOException | UncheckedIOException ignored) {
            // the original failure is what the user needs to see
        }
        deleteEmptyParents(target.getParent(), createdParents);
    }

    /** A new, empty, hidden directory {@code .NAME<tag><random>} beside {@code path}, with default permissions. */
    private static Path createSibling(Path path, String tag) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = path.resolveSibling("." + path.getFileName() + tag + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                return Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) throw e;
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
