package dev.lacuna.io;

import dev.lacuna.LacunaException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

/**
 * A file written to a temporary sibling and renamed over the target only on {@link #commit()}; closed
 * without commit, the temporary is deleted and the target is untouched. Nothing half-written is left.
 * A new target gets the umask's mode, a replaced one keeps its mode.
 */
public final class AtomicOutput implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;
    private final Path tmp;
    private final Writer writer;
    private boolean committed;

    private AtomicOutput(Path target) {
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        try {
            if (dir != null && !Files.isDirectory(dir)) throw new LacunaException(target + ": directory " + dir + " does not exist");
            this.tmp = createSibling(dir, "." + this.target.getFileName() + ".", ".tmp", false);
            keepMode(this.target, tmp);
            this.writer = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new LacunaException(target + ": cannot write (" + IoProblem.describe(e) + ")");
        }
    }

    public static AtomicOutput open(Path target) {
        return new AtomicOutput(target);
    }

    public Writer writer() {
        return writer;
    }

    /** Flushes, then renames the temporary onto the target. */
    public void commit() {
        try {
            writer.close();
            move(tmp, target);
            committed = true;
        } catch (IOException e) {
            throw new LacunaException(target + ": cannot write (" + IoProblem.describe(e) + ")");
        }
    }

    /**
     * A new empty file (or directory) in {@code dir}, named as {@link Files#createTempFile} names one but
     * created without explicit permissions, so that it has the umask's mode rather than 0600 (0700).
     */
    static Path createSibling(Path dir, String prefix, String suffix, boolean directory) throws IOException {
        while (true) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong()) + suffix);
            try {
                return directory ? Files.createDirectory(p) : Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                // taken: draw another name
            }
        }
    }

    /** Gives {@code tmp} the mode of the {@code target} it will replace, if there is one. */
    static void keepMode(Path target, Path tmp) throws IOException {
        if (!Files.exists(target)) return;
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the default mode stays
        }
    }

    /** Renames atomically where the file system allows it. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void close() {
        if (committed) return;
        try {
            writer.close();
        } catch (IOException ignored) {
            // the temporary is deleted next; its content no longer matters
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // best effort: a leftover hidden temporary is not the target
        }
    }
}
