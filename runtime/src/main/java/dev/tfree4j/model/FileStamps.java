package dev.tfree4j.model;

import dev.tfree4j.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Size, modification time and file identity (inode) of the files a loaded model maps into
 * memory. A model reads its weights from the mapping for as long as it is open, so a checkpoint
 * changed on disk would silently change the weights (overwritten in place) or make the next read
 * of a vanished page kill the process with SIGBUS (truncated). {@link #requireUnchanged()} runs
 * before every generation and refuses to touch the mapping once any stamp differs. It narrows
 * the window to one generation; it cannot close it (see RELIABILITY.md, "Limits").
 */
final class FileStamps {
    private record Stamp(Path file, long size, long modifiedMillis, Object key) {}

    private final List<Stamp> stamps = new ArrayList<>();

    void add(Path file) {
        stamps.add(stamp(file));
    }

    void requireUnchanged() {
        for (Stamp s : stamps) {
            Stamp now;
            try {
                now = stamp(s.file());
            } catch (ModelFormatException gone) {
                throw new ModelFormatException(s.file(), "was removed or became unreadable after the model was loaded;"
                        + " the model keeps it mapped and cannot run safely: close and reopen the model");
            }
            if (now.size() != s.size() || now.modifiedMillis() != s.modifiedMillis() || !Objects.equals(now.key(), s.key())) {
                throw new ModelFormatException(s.file(), "changed on disk after the model was loaded (size " + s.size()
                        + " -> " + now.size() + " bytes, modified " + s.modifiedMillis() + " -> " + now.modifiedMillis()
                        + " ms); the model maps this file and would read changed or missing weights: close and reopen"
                        + " the model (replace checkpoints by writing a new file and renaming it, never in place)");
            }
        }
    }

    private static Stamp stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(file, a.size(), a.lastModifiedTime().toMillis(), a.fileKey());
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read its attributes: " + e, e);
        }
    }
}
