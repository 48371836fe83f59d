// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lacuna.LacunaException;
import dev.lacuna.Version;
import dev.lacuna.io.IoProblem;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A disk-backed activation store: rows [tokens, d_in] of one hook point of one model, in shards of
 * raw little-endian float32 or float16 that are memory-mapped for reading, plus the token id and
 * sequence index of every row (for dashboards and splicing) and its provenance in {@code store.json}.
 *
 * <p>Layout of a store directory: {@code store.json}; {@code acts-00000.bin} ... ({@code shard_tokens}
 * rows each, the last one shorter); {@code tokens.bin} = int32 LE [tokens, 2] of (token id, sequence).
 * Rows are in corpus order; {@link #permutation(long, int)} gives the shuffled read order.
 */
public final class ActivationStore implements ActivationRows, AutoCloseable {
    public static final String FORMAT = "lacuna-activation-store-v1";
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Element type of the shards. */
    public enum Dtype {
        FLOAT32(4), FLOAT16(2);
        final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Dtype parse(String s) {
            return switch (s) {
                case "float32", "f32" -> FLOAT32;
                case "float16", "f16" -> FLOAT16;
                default -> throw new LacunaException("unknown activation dtype '" + s + "' (float32, float16)");
            };
        }
    }

    /**
     * What a store holds and where it came from.
     *
     * @param model       model name as given to --model
     * @param hook        hook point, e.g. layer.3.resid_post
     * @param dIn         row width
     * @param tokens      rows in all
     * @param sequences   texts captured
     * @param shardTokens rows per shard
     * @param texts       source files
     * @param created     ISO-8601 time of capture
     */
    public record Info(String model, String hook, int dIn, Dtype dtype, long tokens, int sequences, int shardTokens,
                       List<String> texts, String created) {
        public Info {
            if (dIn < 1) throw new LacunaException("activation store: d_in must be >= 1, got " + dIn);
            if (tokens < 0 || tokens > Integer.MAX_VALUE) throw new LacunaException("activation store: tokens out of range: " + tokens);
            if (shardTokens < 1) throw new LacunaException("activation store: shard_tokens must be >= 1, got " + shardTokens);
        }

        int shards() {
            return (int) ((tokens + shardTokens - 1) / shardTokens);
        }
    }

    private final Path dir;
    private final Info info;
    private final Arena arena;
    private final MemorySegment[] shards;
    private final MemorySegment tokenIds;

    private ActivationStore(Path dir, Info info, Arena arena, MemorySegment[] shards, MemorySegment tokenIds) {
        this.dir = dir;
        this.info = info;
        this.arena = arena;
        this.shards = shards;
        this.tokenIds = tokenIds;
    }

    public Info info() {
        return info;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public long tokens() {
        return info.tokens;
    }

    @Override
    public int dIn() {
        return info.dIn;
    }

    /** Opens and validates a store: every shard and the token file must have exactly the declared size. */
    public static ActivationStore open(Path dir) {
        Path meta = dir.resolve("store.json");
        if (!Files.isDirectory(dir)) throw new LacunaException(dir + ": no such activation store directory");
        JsonNode j;
        try {
            j = new ObjectMapper().readTree(meta.toFile());
        } catch (IOException e) {
            throw new LacunaException(meta + ": not a readable activation store description (" + IoProblem.describe(e) + ")");
        }
        if (j == null || !FORMAT.equals(j.path("format").asText())) throw new LacunaException(meta + ": not a Lacuna activation store (format is not " + FORMAT + ")");
        List<String> texts = new ArrayList<>();
        for (JsonNode t : j.path("texts")) texts.add(t.asText());
        Info info;
        try {
            info = new Info(j.path("model").asText(), j.path("hook").asText(), j.path("d_in").asInt(), Dtype.parse(j.path("dtype").asText()),
                    j.path("tokens").asLong(-1), j.path("sequences").asInt(), j.path("shard_tokens").asInt(), texts, j.path("created").asText());
        } catch (LacunaException e) {
            throw new LacunaException(meta + ": " + e.getMessage());
        }
        checkShardsAgree(dir, meta, j, info);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment[] shards = new MemorySegment[info.shards()];
            for (int s = 0; s < shards.length; s++) {
                long rows = Math.min(info.shardTokens, info.tokens - (long) s * info.shardTokens);
                shards[s] = map(dir.resolve(shardName(s)), rows * info.dIn * info.dtype.bytes, arena);
            }
            MemorySegment ids = map(dir.resolve("tokens.bin"), info.tokens * 8, arena);
            ActivationStore st = new ActivationStore(dir, info, arena, shards, ids);
            arena = null;
            return st;
        } finally {
            if (arena != null) arena.close();
        }
    }

    /** The description's shard count, its token counts and the shard files present must all agree. */
    private static void checkShardsAgree(Path dir, Path meta, JsonNode j, Info info) {
        JsonNode declared = j.get("shards");
        if (declared == null || !declared.canConvertToInt() || !declared.isIntegralNumber() || declared.asInt() != info.shards()) {
            throw new LacunaException(meta + ": shards is " + (declared == null ? "missing" : declared.toString()) + ", but " + info.tokens
                    + " tokens in shards of " + info.shardTokens + " make " + info.shards());
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (!name.matches("acts-\\d{5,}\\.bin")) continue;
                if (Integer.parseInt(name.substring(5, name.length() - 4)) >= info.shards()) {
                    throw new LacunaException(f + ": not part of the activation store (" + meta.getFileName() + " describes " + info.shards()
                            + " shard" + (info.shards() == 1 ? "" : "s") + ")");
                }
            }
        } catch (IOException e) {
            throw new LacunaException(dir + ": cannot list the activation store (" + IoProblem.describe(e) + ")");
        }
    }

    private static MemorySegment map(Path file, long expected, Arena arena) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != expected) throw new LacunaException(file + ": has " + ch.size() + " bytes, the store description needs " + expected + " (truncated or corrupt store)");
            if (expected == 0) return MemorySegment.NULL;
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, expected, arena);
        } catch (NoSuchFileException e) {
            throw new LacunaException(file + ": missing from the activation store");
        } catch (IOException e) {
            throw new LacunaException(file + ": cannot read (" + IoProblem.describe(e) + ")");
        }
    }

    static String shardName(int s) {
        return String.format(java.util.Locale.ROOT, "acts-%05d.bin", s);
    }

    /** Copies row {@code r} into dst[off, off + d_in). */
    @Override
    public void row(long r, float[] dst, int off) {
        if (r < 0 || r >= info.tokens) throw new IndexOutOfBoundsException("row " + r + " of " + info.tokens);
        int s = (int) (r / info.shardTokens);
        long base = (r - (long) s * info.shardTokens) * info.dIn;
        MemorySegment seg = shards[s];
        int d = info.dIn;
        if (info.dtype == Dtype.FLOAT32) {
            MemorySegment.copy(seg, F32, base * 4, dst, off, d);
        } else {
            for (int i = 0; i < d; i++) dst[off + i] = Float.float16ToFloat(seg.getAtIndex(F16, base + i));
        }
    }

    /** Gathers rows {@code idx[from, from + n)} into dst [n, d_in]. */
    public void rows(int[] idx, int from, int n, float[] dst) {
        for (int i = 0; i < n; i++) row(idx[from + i], dst, i * info.dIn);
    }

    /** Token id of row r. */
    public int tokenId(long r) {
        return tokenIds.getAtIndex(I32, 2 * r);
    }

    /** Sequence (text) index of row r. */
    public int sequence(long r) {
        return tokenIds.getAtIndex(I32, 2 * r + 1);
    }

    /** Refuses a store captured from another model or hook, or of another width, than {@code cfg} expects. */
    public void checkMatches(String what, String model, String hook, int dIn) {
        if (!info.hook.equals(hook)) throw new LacunaException(dir + ": activation store is of hook " + info.hook + ", " + what + " expects " + hook);
        if (model != null && !info.model.equals(model)) throw new LacunaException(dir + ": activation store is from model '" + info.model + "', " + what + " expects '" + model + "'");
        if (info.dIn != dIn) throw new LacunaException(dir + ": activation store rows have d_in " + info.dIn + ", " + what + " expects " + dIn);
    }

    @Override
    public void close() {
        arena.close();
    }

    /** Writes a store into a directory (the caller makes the directory atomic). */
    public static final class Writer implements AutoCloseable {
        private final Path dir;
        private final String model, hook;
        private final Dtype dtype;
        private final int shardTokens;
        private final List<String> texts;
        private int dIn = -1;
        private long tokens;
        private int sequences;
        private int shard = -1;
        private long inShard;
        private java.io.OutputStream shardOut;
        private final java.io.OutputStream tokOut;
        private ByteBuffer row = ByteBuffer.allocate(0);
        private final ByteBuffer tok = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        public Writer(Path dir, String model, String hook, Dtype dtype, int shardTokens, List<String> texts) {
            if (shardTokens < 1) throw new IllegalArgumentException("shardTokens must be >= 1");
            this.dir = dir;
            this.model = model;
            this.hook = hook;
            this.dtype = dtype;
            this.shardTokens = shardTokens;
            this.texts = List.copyOf(texts);
            try {
                this.tokOut = new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve("tokens.bin"), StandardOpenOption.CREATE_NEW), 1 << 16);
            } catch (IOException e) {
                throw new LacunaException(dir + ": cannot write activation store (" + e.getMessage() + ")");
            }
        }

        public long tokens() {
            return tokens;
        }

        /**
         * Appends one sequence's rows.
         *
         * @param act [rows, width] starting at row {@code from}
         * @param ids token ids of those rows, from {@code idsFrom}
         */
        public void append(float[] act, int from, int rows, int width, int[] ids, int idsFrom) {
            if (dIn < 0) dIn = width;
            if (width != dIn) throw new IllegalArgumentException("width " + width + " != " + dIn);
            if (row.capacity() != dIn * dtype.bytes) row = ByteBuffer.allocate(dIn * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
            try {
                for (int r = 0; r < rows; r++) {
                    if (shardOut == null || inShard == shardTokens) nextShard();
                    row.clear();
                    int o = (from + r) * width;
                    if (dtype == Dtype.FLOAT32) for (int i = 0; i < dIn; i++) row.putFloat(act[o + i]);
                    else for (int i = 0; i < dIn; i++) row.putShort(Float.floatToFloat16(act[o + i]));
                    shardOut.write(row.array(), 0, row.capacity());
                    inShard++;
                    tok.clear();
                    tok.putInt(ids[idsFrom + r]).putInt(sequences);
                    tokOut.write(tok.array(), 0, 8);
                    tokens++;
                }
                sequences++;
            } catch (IOException e) {
                throw new LacunaException(dir + ": cannot write activation store (" + e.getMessage() + ")");
            }
        }

        private void nextShard() throws IOException {
            if (shardOut != null) shardOut.close();
            shard++;
            inShard = 0;
            shardOut = new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve(shardName(shard)), StandardOpenOption.CREATE_NEW), 1 << 20);
        }

        /** Closes the files and writes store.json; returns what was written. */
        public Info finish() {
            try {
                if (shardOut != null) shardOut.close();
                shardOut = null;
                tokOut.close();
                if (dIn < 0) throw new LacunaException("no activations captured (the corpus is empty)");
                Info info = new Info(model, hook, dIn, dtype, tokens, sequences, shardTokens, texts, java.time.Instant.now().toString());
                ObjectNode j = new ObjectMapper().createObjectNode();
                j.put("format", FORMAT);
                j.put("model", model);
                j.put("hook", hook);
                j.put("d_in", dIn);
                j.put("dtype", dtype.label());
                j.put("tokens", tokens);
                j.put("sequences", sequences);
                j.put("shard_tokens", shardTokens);
                j.put("shards", info.shards());
                ArrayNode t = j.putArray("texts");
                texts.forEach(t::add);
                j.put("created", info.created());
                j.put("lacuna_version", Version.get());
                Files.writeString(dir.resolve("store.json"), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(j) + "\n");
                return info;
            } catch (IOException e) {
                throw new LacunaException(dir + ": cannot write activation store (" + e.getMessage() + ")");
            }
        }

        @Override
        public void close() {
            try {
                if (shardOut != null) shardOut.close();
                tokOut.close();
            } catch (IOException ignored) {
                // the directory is discarded by its AtomicDirectory
            }
        }
    }
}
