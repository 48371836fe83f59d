// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.LacunaException;
import dev.lacuna.io.AtomicOutput;
import dev.lacuna.io.TempSibling;
import dev.lacuna.tensor.FloatTensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reading and writing the safetensors format: an 8-byte little-endian header length, a JSON header
 * mapping tensor names to {@code dtype}, {@code shape} and {@code data_offsets} (plus an optional
 * {@code __metadata__} string map), then the tensor bytes.
 */
public final class Safetensors {
    /** Largest header accepted, as in the reference implementation. */
    static final long MAX_HEADER = 100L * 1024 * 1024;

    /** Element types, named as in the header. */
    public enum Dtype {
        F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U64(8), U32(4), U16(2), U8(1), BOOL(1);

        private final int size;

        Dtype(int size) {
            this.size = size;
        }

        /** Bytes per element. */
        public int size() {
            return size;
        }

        /** The dtype of a header name, or null if unknown. */
        public static Dtype parse(String s) {
            for (Dtype d : values()) if (d.name().equals(s)) return d;
            return null;
        }
    }

    private Safetensors() {
    }

    /** Memory-maps and validates a safetensors file; close it when done with its entries. */
    public static SafetensorsFile open(Path file) {
        return SafetensorsFile.open(file);
    }

    /** Writes float32 tensors; see {@link #write(Path, Map, Map)}. */
    public static void writeFloats(Path file, Map<String, FloatTensor> tensors, Map<String, String> metadata) {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) entries.put(e.getKey(), TensorEntry.of(e.getKey(), e.getValue()));
        write(file, entries, metadata);
    }

    /**
     * Writes tensors in name order, the header padded with spaces to a multiple of 8 bytes, to a
     * temporary file in the target's directory that is then atomically renamed over the target.
     *
     * @param file     the target file
     * @param tensors  entries by name (the entry's own name is ignored)
     * @param metadata the {@code __metadata__} map, or empty/null for none
     */
    public static void write(Path file, Map<String, TensorEntry> tensors, Map<String, String> metadata) {
        Map<String, TensorEntry> sorted = new TreeMap<>(tensors);
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) header.put("__metadata__", new TreeMap<>(metadata));
        long offset = 0;
        List<MemorySegment> data = new ArrayList<>(sorted.size());
        for (Map.Entry<String, TensorEntry> e : sorted.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("'__metadata__' is not a tensor name");
            TensorEntry t = e.getValue();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.dtype().name());
            info.put("shape", t.shape());
            long size = t.data().byteSize();
            info.put("data_offsets", new long[] {offset, offset + size});
            header.put(e.getKey(), info);
            data.add(t.data());
            offset += size;
        }
        byte[] json;
        try {
            json = new ObjectMapper().writeValueAsBytes(header);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) & ~7;
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, head, 8, json.length);
        for (int i = 8 + json.length; i < head.length; i++) head[i] = ' ';
        Atomic.write(file, ch -> {
            ch.write(ByteBuffer.wrap(head));
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
            MemorySegment bufSeg = MemorySegment.ofBuffer(buf);
            for (MemorySegment seg : data) {
                long at = 0;
                long size = seg.byteSize();
                while (at < size) {
                    int n = (int) Math.min(buf.capacity(), size - at);
                    MemorySegment.copy(seg, at, bufSeg, 0, n);
                    buf.clear().limit(n);
                    while (buf.hasRemaining()) ch.write(buf);
                    at += n;
                }
            }
        });
    }

    /** Writing to a temporary sibling file and renaming it over the target. */
    static final class Atomic {
        interface Body {
            void write(FileChannel ch) throws IOException;
        }

        static void write(Path file, Body body) {
            Path abs = file.toAbsolutePath();
            Path dir = abs.getParent();
            Path tmp = null;
            try {
                tmp = TempSibling.createFile(abs); // the replaced file's mode, else the umask's
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    body.write(ch);
                    ch.force(true);
                }
                TempSibling.slowWriteForTests();
                AtomicOutput.move(tmp, abs);
                tmp = null;
            } catch (IOException e) {
                throw new LacunaException(file + ": cannot write (" + dev.lacuna.io.IoProblem.describe(e) + ")", e);
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // best effort
                    }
                }
            }
        }

        static void writeString(Path file, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            write(file, ch -> {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) ch.write(b);
            });
        }
    }

    /** Maps a whole file read-only in the given arena. */
    static MemorySegment map(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        }
    }
}
