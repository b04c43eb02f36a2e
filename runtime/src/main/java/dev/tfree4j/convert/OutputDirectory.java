package dev.tfree4j.convert;

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
 * half-written model under the target's name. An existing target is refused unless replacing
 * was asked for; a target that is, or contains, the source is always refused.
 */
final class OutputDirectory {
    private final Path target;
    private final Path temp;

    private OutputDirectory(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    /** Checks {@code target} against {@code source} and creates the temporary directory. */
    static OutputDirectory prepare(Path source, Path target, boolean replace) {
        Path out = target.toAbsolutePath().normalize();
        try {
            if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                if (!replace) throw new IllegalArgumentException(out + " already exists; pass --force to replace it");
                if (source.toRealPath().startsWith(out.toRealPath())) {
                    throw new IllegalArgumentException(out + " is or contains the source model " + source
                            + "; choose another output directory");
                }
            }
            if (out.getParent() == null) throw new IllegalArgumentException("cannot write a model to " + out);
            Files.createDirectories(out.getParent());
            return new OutputDirectory(out, createSibling(out, ".tmp-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an output directory beside " + out + ": " + e.getMessage(), e);
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

    /** Deletes the temporary directory (after a failure); never throws. */
    void abandon() {
        try {
            deleteTree(temp);
        } catch (IOException | UncheckedIOException ignored) {
            // the original failure is what the user needs to see
        }
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
