package dev.tfree4j.spark;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkFiles;
import org.apache.spark.sql.SparkSession;

/**
 * Where an executor finds the model directory. Only this small description travels with the
 * tasks; each executor JVM opens the model itself ({@link ExecutorModels}).
 * <ul>
 *   <li>{@link #path(String)}: a directory every executor can read at the same path (NFS, a
 *       shared volume, the same image on every node). The usual choice on a cluster.</li>
 *   <li>{@link #distribute(SparkSession, Path)}: Spark copies the directory from the driver to
 *       every executor ({@code SparkContext.addFile}, recursive) and each executor reads its local
 *       copy ({@code SparkFiles.get}). Fine for small models; large ones belong on shared storage.</li>
 * </ul>
 *
 * @param kind how {@code location} is read
 * @param location a directory path, or the name the directory was distributed under
 */
public record ModelSource(Kind kind, String location) implements Serializable {
    public enum Kind { PATH, SPARK_FILE }

    public ModelSource {
        if (kind == null) throw new IllegalArgumentException("model source: kind is null");
        if (location == null || location.isBlank()) throw new IllegalArgumentException("model source: the location is empty");
    }

    /** A model directory at the same path on every executor. */
    public static ModelSource path(String dir) {
        return new ModelSource(Kind.PATH, dir);
    }

    /**
     * Ships a model directory from the driver to every executor through Spark's file
     * distribution. Call on the driver before the job; the directory's name must be unique among
     * the files added to this Spark context.
     */
    public static ModelSource distribute(SparkSession spark, Path dir) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("model source: " + dir + " is not a directory");
        Path absolute = dir.toAbsolutePath().normalize();
        spark.sparkContext().addFile(absolute.toUri().toString(), true);
        return new ModelSource(Kind.SPARK_FILE, absolute.getFileName().toString());
    }

    /** The directory on this executor (call on an executor, or on the driver in local mode). */
    public Path resolve() {
        Path dir = switch (kind) {
            case PATH -> Path.of(location);
            case SPARK_FILE -> Path.of(SparkFiles.get(location));
        };
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("model source " + this + ": " + dir + " is not a directory on this executor"
                    + (kind == Kind.PATH ? " (a PATH source must be readable at the same path on every executor)" : ""));
        }
        return dir;
    }

    @Override
    public String toString() {
        return kind == Kind.PATH ? "path " + location : "distributed file " + location;
    }
}
