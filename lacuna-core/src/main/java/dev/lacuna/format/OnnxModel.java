// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import dev.lacuna.LacunaException;
import dev.lacuna.io.IoProblem;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX {@code ModelProto}, decoded with {@link ProtoReader}. Files are memory-mapped; tensor data
 * stays in the mapping (which lives as long as any tensor of the model is reachable) until converted.
 * Only the parts needed to read inference graphs are decoded (and the metadata): sub-graphs, functions,
 * training info and sparse initializers are skipped.
 */
public final class OnnxModel {
    private final String source;
    private final long irVersion;
    private final String producerName;
    private final String producerVersion;
    private final Map<String, Long> opsetImports;
    private final Map<String, String> metadata;
    private final OnnxGraph graph;

    private OnnxModel(String source, long irVersion, String producerName, String producerVersion,
                      Map<String, Long> opsetImports, Map<String, String> metadata, OnnxGraph graph) {
        this.source = source;
        this.irVersion = irVersion;
        this.producerName = producerName;
        this.producerVersion = producerVersion;
        this.opsetImports = Collections.unmodifiableMap(opsetImports);
        this.metadata = Collections.unmodifiableMap(metadata);
        this.graph = graph;
    }

    /** Memory-maps and parses an {@code .onnx} file. */
    public static OnnxModel load(Path path) {
        String source = path.toString();
        if (Files.isDirectory(path)) throw new LacunaException(source + ": is a directory, expected an .onnx file");
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) throw new LacunaException(source + ": empty file, expected an ONNX model");
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto());
            return parse(seg, source);
        } catch (NoSuchFileException e) {
            throw new LacunaException(source + ": no such file");
        } catch (IOException e) {
            throw new LacunaException(source + ": cannot read: " + IoProblem.describe(e), e);
        }
    }

    /** Parses a model held in memory; {@code source} names it in error messages. */
    public static OnnxModel parse(byte[] bytes, String source) {
        return parse(MemorySegment.ofArray(bytes), source);
    }

    /** Parses a model from a segment (heap or mapped); tensors keep views of the segment. */
    public static OnnxModel parse(MemorySegment segment, String source) {
        ProtoReader r = new ProtoReader(segment, source);
        long ir = 0;
        String producer = "";
        String producerVer = "";
        Map<String, Long> opsets = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        OnnxGraph g = null;
        while (r.next() != -1) {
            switch (r.field()) {
                case 1 -> ir = r.readVarint();
                case 2 -> producer = r.readString();
                case 3 -> producerVer = r.readString();
                case 7 -> {
                    if (g != null) throw r.corrupt(r.tagOffset(), "model has two graphs");
                    g = parseGraph(r.readMessage());
                }
                case 8 -> {
                    ProtoReader o = r.readMessage();
                    String domain = "";
                    long version = 0;
                    while (o.next() != -1) {
                        switch (o.field()) {
                            case 1 -> domain = o.readString();
                            case 2 -> version = o.readVarint();
                            default -> o.skip();
                        }
                    }
                    opsets.put(domain, version);
                }
                case 14 -> {   // metadata_props: StringStringEntryProto {key = 1, value = 2}
                    ProtoReader o = r.readMessage();
                    String key = "", value = "";
                    while (o.next() != -1) {
                        switch (o.field()) {
                            case 1 -> key = o.readString();
                            case 2 -> value = o.readString();
                            default -> o.skip();
                        }
                    }
                    meta.put(key, value);
                }
                default -> r.skip();
            }
        }
        if (g == null) {
            throw new LacunaException(source + ": not an ONNX model (no graph found"
                    + (ir == 0 ? ", no IR version" : "") + ")");
        }
        return new OnnxModel(source, ir, producer, producerVer, opsets, meta, g);
    }

    private static OnnxGraph parseGraph(ProtoReader r) {
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> inits = new LinkedHashMap<>();
        List<OnnxValueInfo> inputs = new ArrayList<>();
        List<OnnxValueInfo> outputs = new ArrayList<>();
        while (r.next() != -1) {
            switch (r.field()) {
                case 1 -> nodes.add(parseNode(r.readMessage()));
                case 2 -> name = r.readString();
                case 5 -> {
                    long at = r.tagOffset();
                    OnnxTensor t = parseTensor(r.readMessage());
                    if (inits.putIfAbsent(t.name(), t) != null) {
                        throw r.corrupt(at, "duplicate initializer '" + t.name() + "'");
                    }
                }
                case 11 -> inputs.add(parseValueInfo(r.readMessage()));
                case 12 -> outputs.add(parseValueInfo(r.readMessage()));
                default -> r.skip();
            }
        }
        return new OnnxGraph(r.source(), name, nodes, inits, inputs, outputs);
    }

    private static OnnxNode parseNode(ProtoReader r) {
        List<String> in = new ArrayList<>(4);
        List<String> out = new ArrayList<>(1);
        String name = "";
        String op = "";
        String domain = "";
        Map<String, OnnxAttribute> attrs = new LinkedHashMap<>();
        while (r.next() != -1) {
            switch (r.field()) {
                case 1 -> in.add(r.readString());
                case 2 -> out.add(r.readString());
                case 3 -> name = r.readString();
                case 4 -> op = r.readString();
                case 5 -> {
                    OnnxAttribute a = parseAttribute(r.readMessage());
                    attrs.put(a.name(), a);
                }
                case 7 -> domain = r.readString();
                default -> r.skip();
            }
        }
        return new OnnxNode(name, op, domain, in, out, attrs);
    }

    private static OnnxAttribute parseAttribute(ProtoReader r) {
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        byte[] s = null;
        OnnxTensor t = null;
        List<MemorySegment> floatRuns = new ArrayList<>();
        ProtoReader.LongList ints = new ProtoReader.LongList();
        List<byte[]> strings = new ArrayList<>();
        boolean graph = false;
        while (r.next() != -1) {
            switch (r.field()) {
                case 1 -> name = r.readString();
                case 2 -> f = r.readFloat();
                case 3 -> i = r.readVarint();
                case 4 -> s = r.readBytes();
                case 5 -> t = parseTensor(r.readMessage());
                case 6 -> {
                    graph = true;
                    r.skip();
                }
                case 7 -> floatRuns.add(r.readFixedRun(4));
                case 8 -> r.readVarints(ints);
                case 9 -> strings.add(r.readBytes());
                case 20 -> type = r.readInt32();
                default -> r.skip();
            }
        }
        if (type == 0) {
            // IR < 0.0.2 files carry no type: infer it from the field present
            if (t != null) type = OnnxAttribute.TENSOR;
            else if (s != null) type = OnnxAttribute.STRING;
            else if (!floatRuns.isEmpty()) type = OnnxAttribute.FLOATS;
            else if (ints.size() > 0) type = OnnxAttribute.INTS;
            else if (!strings.isEmpty()) type = OnnxAttribute.STRINGS;
            else if (graph) type = OnnxAttribute.GRAPH;
        }
        float[] floats = toFloats(concat(floatRuns));
        return new OnnxAttribute(name, type, f, i, s, t, floats, ints.toArray(), strings);
    }

    private static OnnxValueInfo parseValueInfo(ProtoReader r) {
        String name = "";
        int elem = 0;
        List<String> dims = new ArrayList<>();
        while (r.next() != -1) {
            switch (r.field()) {
                case 1 -> name = r.readString();
                case 2 -> {
                    ProtoReader type = r.readMessage();
                    while (type.next() != -1) {
                        if (type.field() != 1) {
                            type.skip();
                            continue;
                        }
                        ProtoReader tensorType = type.readMessage();
                        while (tensorType.next() != -1) {
                            switch (tensorType.field()) {
                                case 1 -> elem = tensorType.readInt32();
                                case 2 -> {
                                    ProtoReader shape = tensorType.readMessage();
                                    while (shape.next() != -1) {
                                        if (shape.field() != 1) {
                                            shape.skip();
                                            continue;
                                        }
                                        ProtoReader dim = shape.readMessage();
                                        String d = "?";
                                        while (dim.next() != -1) {
                                            switch (dim.field()) {
                                                case 1 -> d = Long.toString(dim.readVarint());
                                                case 2 -> d = dim.readString();
                                                default -> dim.skip();
                                            }
                                        }
                                        dims.add(d);
                                    }
                                }
                                default -> tensorType.skip();
                            }
                        }
                    }
                }
                default -> r.skip();
            }
        }
        return new OnnxValueInfo(name, elem, dims);
    }

    static OnnxTensor parseTensor(ProtoReader r) {
        ProtoReader.LongList dims = new ProtoReader.LongList();
        int dataType = 0;
        String name = "";
        MemorySegment raw = null;
        List<MemorySegment> floatRuns = new ArrayList<>();
        List<MemorySegment> doubleRuns = new ArrayList<>();
        ProtoReader.LongList int32 = null;
        ProtoReader.LongList int64 = null;
        ProtoReader.LongList uint64 = null;
        boolean external = false;
        while (r.next() != -1) {
            switch (r.field()) {
                case 1 -> r.readVarints(dims);
                case 2 -> dataType = r.readInt32();
                case 4 -> floatRuns.add(r.readFixedRun(4));
                case 5 -> r.readVarints(int32 = int32 == null ? new ProtoReader.LongList() : int32);
                case 7 -> r.readVarints(int64 = int64 == null ? new ProtoReader.LongList() : int64);
                case 8 -> name = r.readString();
                case 9 -> raw = r.readBytesView();
                case 10 -> doubleRuns.add(r.readFixedRun(8));
                case 11 -> r.readVarints(uint64 = uint64 == null ? new ProtoReader.LongList() : uint64);
                case 13 -> {
                    external = true;
                    r.skip();
                }
                case 14 -> external |= r.readVarint() == 1;
                default -> r.skip();
            }
        }
        long[] values = null;
        if (raw == null) {
            if (!floatRuns.isEmpty()) raw = concat(floatRuns);
            else if (!doubleRuns.isEmpty()) raw = concat(doubleRuns);
            else if (int32 != null) values = int32.toArray();
            else if (int64 != null) values = int64.toArray();
            else if (uint64 != null) values = uint64.toArray();
        }
        return new OnnxTensor(r.source(), name, dataType, dims.toArray(), raw, values, external);
    }

    private static MemorySegment concat(List<MemorySegment> runs) {
        if (runs.isEmpty()) return null;
        if (runs.size() == 1) return runs.getFirst();
        long total = 0;
        for (MemorySegment s : runs) total += s.byteSize();
        if (total > Integer.MAX_VALUE - 8) throw new LacunaException("unpacked repeated field of " + total + " bytes is too large");
        MemorySegment out = MemorySegment.ofArray(new byte[(int) total]);
        long at = 0;
        for (MemorySegment s : runs) {
            MemorySegment.copy(s, 0, out, at, s.byteSize());
            at += s.byteSize();
        }
        return out;
    }

    private static float[] toFloats(MemorySegment seg) {
        if (seg == null) return new float[0];
        float[] out = new float[Math.toIntExact(seg.byteSize() / 4)];
        MemorySegment.copy(seg, java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN),
                0, out, 0, out.length);
        return out;
    }

    /** The file (or other source) the model was read from. */
    public String source() {
        return source;
    }

    /** {@code ir_version}. */
    public long irVersion() {
        return irVersion;
    }

    /** {@code producer_name}, e.g. {@code pytorch}. */
    public String producerName() {
        return producerName;
    }

    /** {@code producer_version}. */
    public String producerVersion() {
        return producerVersion;
    }

    /** Operator set versions by domain (the empty string is the default ONNX domain). */
    public Map<String, Long> opsetImports() {
        return opsetImports;
    }

    /** The main graph. */
    /** {@code metadata_props}: key/value strings (Lacuna's exports record pooling and maximum length). */
    public Map<String, String> metadata() {
        return metadata;
    }

    public OnnxGraph graph() {
        return graph;
    }
}
