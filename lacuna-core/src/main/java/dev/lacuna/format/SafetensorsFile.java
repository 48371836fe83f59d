// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.LacunaException;
import dev.lacuna.io.IoProblem;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open, validated safetensors file, memory-mapped. Its entries view the mapping and become
 * invalid when the file is closed; convert what you keep ({@link TensorEntry#toFloatTensor()} etc.)
 * before closing.
 */
public final class SafetensorsFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final Map<String, String> metadata;
    private final Map<String, TensorEntry> tensors;

    private SafetensorsFile(Path path, Arena arena, Map<String, String> metadata, Map<String, TensorEntry> tensors) {
        this.path = path;
        this.arena = arena;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** Maps and validates a file. */
    public static SafetensorsFile open(Path path) {
        if (Files.isDirectory(path)) throw new LacunaException(path + ": is a directory, expected a .safetensors file");
        Arena arena = Arena.ofShared();
        try {
            MemorySegment seg;
            try {
                seg = Safetensors.map(path, arena);
            } catch (NoSuchFileException e) {
                throw new LacunaException(path + ": no such file");
            } catch (IOException e) {
                throw new LacunaException(path + ": cannot read: " + IoProblem.describe(e), e);
            }
            SafetensorsFile f = parse(path, arena, seg);
            arena = null;
            return f;
        } finally {
            if (arena != null) arena.close();
        }
    }

    private static SafetensorsFile parse(Path path, Arena arena, MemorySegment seg) {
        long size = seg.byteSize();
        if (size < 8) throw bad(path, "truncated: " + size + " bytes, no header length");
        long n = seg.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 0 || n > size - 8) {
            throw bad(path, "header length " + Long.toUnsignedString(n) + " is larger than the file (" + size + " bytes): truncated or not a safetensors file");
        }
        if (n > Safetensors.MAX_HEADER) throw bad(path, "header length " + n + " exceeds the " + Safetensors.MAX_HEADER + "-byte limit");
        if (n < 2) throw bad(path, "header of " + n + " bytes is too short");
        byte[] json = seg.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        JsonNode root;
        try {
            ObjectMapper om = new ObjectMapper();
            om.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = om.readTree(json);
        } catch (JsonProcessingException e) {
            throw bad(path, "invalid JSON header: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw bad(path, "invalid JSON header: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw bad(path, "header is not a JSON object");
        long dataStart = 8 + n;
        long dataLen = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, TensorEntry> tensors = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        List<String> rangeNames = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) throw bad(path, "__metadata__ is not an object");
                for (Iterator<Map.Entry<String, JsonNode>> m = v.fields(); m.hasNext(); ) {
                    Map.Entry<String, JsonNode> kv = m.next();
                    if (!kv.getValue().isTextual()) throw bad(path, "__metadata__ value of '" + kv.getKey() + "' is not a string");
                    metadata.put(kv.getKey(), kv.getValue().asText());
                }
                continue;
            }
            if (!v.isObject()) throw badTensor(path, name, "entry is not an object");
            JsonNode dt = v.get("dtype");
            if (dt == null || !dt.isTextual()) throw badTensor(path, name, "missing dtype");
            Safetensors.Dtype dtype = Safetensors.Dtype.parse(dt.asText());
            if (dtype == null) throw badTensor(path, name, "unsupported dtype '" + dt.asText() + "'");
            long[] shape = longs(path, name, v.get("shape"), "shape", -1);
            long[] off = longs(path, name, v.get("data_offsets"), "data_offsets", 2);
            if (off[0] > off[1]) throw badTensor(path, name, "data_offsets [" + off[0] + ", " + off[1] + "] are reversed");
            if (off[1] > dataLen) {
                throw badTensor(path, name, "data_offsets end " + off[1] + " is beyond the " + dataLen + " data bytes (truncated file?)");
            }
            long count = TensorEntry.elementCount(shape);
            if (count < 0 || count > Long.MAX_VALUE / dtype.size() || count * dtype.size() != off[1] - off[0]) {
                throw badTensor(path, name, (off[1] - off[0]) + " bytes in data_offsets, but " + dtype + java.util.Arrays.toString(shape)
                        + " needs " + (count < 0 ? "too many" : String.valueOf(count * dtype.size())));
            }
            ranges.add(off);
            rangeNames.add(name);
            tensors.put(name, new TensorEntry(name, dtype, shape, seg.asSlice(dataStart + off[0], off[1] - off[0])));
        }
        Integer[] order = new Integer[ranges.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.comparingLong((Integer i) -> ranges.get(i)[0]).thenComparingLong(i -> ranges.get(i)[1]));
        long maxEnd = 0;
        int maxOwner = -1;
        for (Integer i : order) {
            long[] cur = ranges.get(i);
            if (cur[1] == cur[0]) continue;
            if (cur[0] < maxEnd) {
                throw badTensor(path, rangeNames.get(i), "data overlaps tensor '" + rangeNames.get(maxOwner) + "'");
            }
            maxEnd = cur[1];
            maxOwner = i;
        }
        return new SafetensorsFile(path, arena, metadata, tensors);
    }

    private static long[] longs(Path path, String name, JsonNode node, String field, int expectLength) {
        if (node == null || !node.isArray()) throw badTensor(path, name, "missing " + field);
        if (expectLength >= 0 && node.size() != expectLength) throw badTensor(path, name, field + " must have " + expectLength + " values");
        long[] r = new long[node.size()];
        for (int i = 0; i < r.length; i++) {
            JsonNode x = node.get(i);
            if (!x.isIntegralNumber() || !x.canConvertToLong() || x.asLong() < 0) {
                throw badTensor(path, name, field + " has an invalid value " + x);
            }
            r[i] = x.asLong();
        }
        return r;
    }

    private static LacunaException bad(Path path, String what) {
        return new LacunaException(path + ": " + what);
    }

    private static LacunaException badTensor(Path path, String name, String what) {
        return new LacunaException(path + ": tensor '" + name + "': " + what);
    }

    public Path path() {
        return path;
    }

    /** The {@code __metadata__} map (empty if none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** All entries by name, in header order. */
    public Map<String, TensorEntry> tensors() {
        return tensors;
    }

    /** The entry of that name, or null. */
    public TensorEntry get(String name) {
        return tensors.get(name);
    }

    /** The entry of that name, failing with a message naming the file if absent. */
    public TensorEntry require(String name) {
        TensorEntry e = tensors.get(name);
        if (e == null) throw new LacunaException(path + ": no tensor '" + name + "'");
        return e;
    }

    /** Unmaps the file; entries from it must not be used afterwards. */
    @Override
    public void close() {
        arena.close();
    }
}
