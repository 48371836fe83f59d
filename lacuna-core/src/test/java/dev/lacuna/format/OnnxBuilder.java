// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Builds ONNX protobuf messages for tests (field numbers from onnx.proto). */
final class OnnxBuilder {
    final List<ProtoWriter> nodes = new ArrayList<>();
    final List<ProtoWriter> initializers = new ArrayList<>();
    final List<ProtoWriter> inputs = new ArrayList<>();
    final List<ProtoWriter> outputs = new ArrayList<>();
    long opset = 17;
    int counter;

    /** A fresh opaque name, so that nothing can be inferred from names. */
    String fresh() {
        return "t" + (counter++);
    }

    static ProtoWriter tensor(String name, int dataType, long[] dims, byte[] raw) {
        ProtoWriter t = new ProtoWriter();
        if (dims.length > 0) t.packedVarints(1, dims);
        t.varint(2, dataType).string(8, name).bytes(9, raw);
        return t;
    }

    static ProtoWriter floatTensor(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return tensor(name, OnnxDataType.FLOAT, dims, b.array());
    }

    static ProtoWriter longTensor(String name, long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        return tensor(name, OnnxDataType.INT64, dims, b.array());
    }

    static ProtoWriter attrInt(String name, long v) {
        return new ProtoWriter().string(1, name).varint(3, v).varint(20, OnnxAttribute.INT);
    }

    static ProtoWriter attrFloat(String name, float v) {
        return new ProtoWriter().string(1, name).floatField(2, v).varint(20, OnnxAttribute.FLOAT);
    }

    static ProtoWriter attrInts(String name, long... v) {
        return new ProtoWriter().string(1, name).packedVarints(8, v).varint(20, OnnxAttribute.INTS);
    }

    static ProtoWriter attrString(String name, String s) {
        return new ProtoWriter().string(1, name).string(4, s).varint(20, OnnxAttribute.STRING);
    }

    static ProtoWriter attrTensor(String name, ProtoWriter t) {
        return new ProtoWriter().string(1, name).message(5, t).varint(20, OnnxAttribute.TENSOR);
    }

    static ProtoWriter valueInfo(String name, int elemType, long... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : dims) shape.message(1, new ProtoWriter().varint(1, d));
        ProtoWriter tensorType = new ProtoWriter().varint(1, elemType).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }

    /** Adds a node of the default domain; returns its first output. */
    String node(String op, String[] in, String[] out, ProtoWriter... attrs) {
        return node("", op, in, out, attrs);
    }

    String node(String domain, String op, String[] in, String[] out, ProtoWriter... attrs) {
        ProtoWriter n = new ProtoWriter();
        for (String i : in) n.string(1, i);
        for (String o : out) n.string(2, o);
        n.string(3, fresh()).string(4, op);
        for (ProtoWriter a : attrs) n.message(5, a);
        if (!domain.isEmpty()) n.string(7, domain);
        nodes.add(n);
        return out[0];
    }

    /** A one-output node with a fresh output name. */
    String op(String op, ProtoWriter[] attrs, String... in) {
        return node(op, in, new String[] {fresh()}, attrs);
    }

    String op(String op, String... in) {
        return op(op, new ProtoWriter[0], in);
    }

    String init(long[] dims, float[] values) {
        String n = fresh();
        initializers.add(floatTensor(n, dims, values));
        return n;
    }

    String initLongs(long[] dims, long[] values) {
        String n = fresh();
        initializers.add(longTensor(n, dims, values));
        return n;
    }

    String initRaw(int dataType, long[] dims, byte[] raw) {
        String n = fresh();
        initializers.add(tensor(n, dataType, dims, raw));
        return n;
    }

    String scalar(float v) {
        return init(new long[0], new float[] {v});
    }

    byte[] model() {
        ProtoWriter g = new ProtoWriter();
        for (ProtoWriter n : nodes) g.message(1, n);
        g.string(2, "test-graph");
        for (ProtoWriter t : initializers) g.message(5, t);
        for (ProtoWriter i : inputs) g.message(11, i);
        for (ProtoWriter o : outputs) g.message(12, o);
        return new ProtoWriter()
                .varint(1, 8)
                .string(2, "lacuna-test")
                .string(3, "1")
                .message(7, g)
                .message(8, new ProtoWriter().string(1, "").varint(2, opset))
                .toByteArray();
    }
}
