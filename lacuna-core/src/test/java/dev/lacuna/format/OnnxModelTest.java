// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import dev.lacuna.LacunaException;
import dev.lacuna.tensor.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.lacuna.format.OnnxBuilder.*;
import static org.junit.jupiter.api.Assertions.*;

class OnnxModelTest {
    static {
        TestModels.ensureTmpDir();
    }

    @TempDir
    Path tmp;

    @Test
    void parsesTheRealMiniLmFile() {
        OnnxModel m = OnnxModel.load(TestModels.path(TestModels.MINILM));
        assertEquals(6, m.irVersion());
        assertEquals("pytorch", m.producerName());
        assertEquals(Map.of("", 11L), m.opsetImports());
        OnnxGraph g = m.graph();
        assertEquals("torch_jit", g.name());
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), g.inputs().stream().map(OnnxValueInfo::name).toList());
        assertEquals(List.of("batch_size", "sequence_length"), g.inputs().getFirst().dims());
        assertEquals(OnnxDataType.INT64, g.inputs().getFirst().elemType());
        assertEquals("last_hidden_state", g.outputs().getFirst().name());
        assertEquals(637, g.nodes().size());
        assertEquals(637, g.topologicalOrder().size());
        OnnxTensor word = g.initializer("embeddings.word_embeddings.weight");
        assertEquals(OnnxDataType.FLOAT, word.dataType());
        assertArrayEquals(new long[] {30522, 384}, word.dims());
        FloatTensor wt = word.toFloatTensor();
        assertArrayEquals(new int[] {30522, 384}, wt.shape());
        assertTrue(Float.isFinite(wt.data()[12345]));
        // Constant nodes are exposed as constants
        long constants = g.nodes().stream().filter(n -> n.is("Constant")).filter(n -> g.constant(n.output(0)) != null).count();
        assertEquals(146, constants);
        // the producer / consumer indexes agree with the nodes
        for (OnnxNode n : g.nodes()) {
            for (String o : n.outputs()) assertSame(n, g.producer(o));
            for (String i : n.inputs()) if (!i.isEmpty()) assertTrue(g.consumers(i).contains(n));
        }
        OnnxTensor posIds = g.initializer("embeddings.position_ids");
        assertEquals(OnnxDataType.INT64, posIds.dataType());
        long[] ids = posIds.toLongArray();
        for (int i = 0; i < ids.length; i++) assertEquals(i, ids[i]);
    }

    @Test
    void parsesTheQuantizedFile() {
        OnnxGraph g = OnnxModel.load(TestModels.path(TestModels.MINILM_Q)).graph();
        OnnxTensor q = g.initializer("onnx::MatMul_787_quantized");
        assertEquals(OnnxDataType.INT8, q.dataType());
        assertEquals(384 * 384, q.toByteArray().length);
        OnnxTensor zp = g.initializer("embeddings.word_embeddings.weight_zero_point");
        assertEquals(OnnxDataType.UINT8, zp.dataType());
        assertEquals(128, zp.toLongArray()[0]);
        assertEquals(128.0, zp.scalar());
    }

    @Test
    void decodesEveryDataEncoding() {
        OnnxBuilder b = new OnnxBuilder();
        // float_data packed, and unpacked (one fixed32 per value)
        b.initializers.add(new ProtoWriter().packedVarints(1, 2).varint(2, OnnxDataType.FLOAT).packedFloats(4, 1.5f, -2f).string(8, "packed"));
        b.initializers.add(new ProtoWriter().varint(1, 3).varint(2, OnnxDataType.FLOAT)
                .floatField(4, 1f).floatField(4, 2f).floatField(4, 3f).string(8, "unpacked"));
        // int8 in int32_data, dims unpacked
        b.initializers.add(new ProtoWriter().varint(1, 2).varint(1, 2).varint(2, OnnxDataType.INT8)
                .packedVarints(5, -1L, 127, -128L, 0).string(8, "int8"));
        // uint8 raw, int64 int64_data, float16 raw, bfloat16 in int32_data, double_data
        b.initializers.add(tensor("uint8", OnnxDataType.UINT8, new long[] {3}, new byte[] {(byte) 255, 0, 7}));
        b.initializers.add(new ProtoWriter().varint(1, 2).varint(2, OnnxDataType.INT64).packedVarints(7, -5L, 1L << 40).string(8, "int64"));
        b.initializers.add(tensor("half", OnnxDataType.FLOAT16, new long[] {2}, le16((short) 0x3C00, (short) 0xC000)));
        b.initializers.add(new ProtoWriter().varint(1, 1).varint(2, OnnxDataType.BFLOAT16).packedVarints(5, 0x3FC0).string(8, "bf16"));
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.25).putDouble(-8);
        b.initializers.add(new ProtoWriter().varint(1, 2).varint(2, OnnxDataType.DOUBLE).bytes(10, d.array()).string(8, "double"));
        b.initializers.add(new ProtoWriter().varint(2, OnnxDataType.INT32).packedVarints(5, 42).string(8, "scalar"));
        // Constant nodes with value / value_float / value_ints
        b.node("Constant", new String[0], new String[] {"c1"}, attrTensor("value", floatTensor("", new long[] {2}, new float[] {4, 5})));
        b.node("Constant", new String[0], new String[] {"c2"}, attrFloat("value_float", 0.5f));
        b.node("Constant", new String[0], new String[] {"c3"}, attrInts("value_ints", 0, 0, 12, 32));
        b.node("Add", new String[] {"c1", "packed"}, new String[] {"sum"});
        OnnxGraph g = OnnxModel.parse(b.model(), "synthetic.onnx").graph();

        assertArrayEquals(new float[] {1.5f, -2f}, g.initializer("packed").toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3}, g.initializer("unpacked").toFloatArray());
        assertArrayEquals(new long[] {2, 2}, g.initializer("int8").dims());
        assertArrayEquals(new byte[] {-1, 127, -128, 0}, g.initializer("int8").toByteArray());
        assertArrayEquals(new long[] {-1, 127, -128, 0}, g.initializer("int8").toLongArray());
        assertArrayEquals(new long[] {255, 0, 7}, g.initializer("uint8").toLongArray());
        assertArrayEquals(new long[] {-5, 1L << 40}, g.initializer("int64").toLongArray());
        assertArrayEquals(new float[] {1f, -2f}, g.initializer("half").toFloatArray());
        assertArrayEquals(new float[] {1.5f}, g.initializer("bf16").toFloatArray());
        assertArrayEquals(new float[] {0.25f, -8f}, g.initializer("double").toFloatArray());
        assertEquals(42.0, g.initializer("scalar").scalar());
        assertEquals(0, g.initializer("scalar").rank());
        assertArrayEquals(new float[] {4, 5}, g.constant("c1").toFloatArray());
        assertEquals(0.5, g.constant("c2").scalar());
        assertArrayEquals(new long[] {0, 0, 12, 32}, g.constant("c3").toLongArray());
        assertNull(g.constant("sum"));
        assertEquals("Add", g.producer("sum").opType());
        LacunaException e = assertThrows(LacunaException.class, () -> g.initializer("int8").toFloatArray());
        assertTrue(e.getMessage().contains("synthetic.onnx: tensor 'int8' is INT8[2, 2], expected a floating-point tensor"), e.getMessage());
    }

    @Test
    void externalDataIsAClearError() {
        OnnxBuilder b = new OnnxBuilder();
        ProtoWriter entry = new ProtoWriter().string(1, "location").string(2, "weights.bin");
        b.initializers.add(new ProtoWriter().packedVarints(1, 4).varint(2, OnnxDataType.FLOAT).string(8, "w")
                .message(13, entry).varint(14, 1));
        OnnxTensor w = OnnxModel.parse(b.model(), "ext.onnx").graph().initializer("w");
        assertTrue(w.isExternal());
        assertArrayEquals(new long[] {4}, w.dims());
        LacunaException e = assertThrows(LacunaException.class, w::toFloatArray);
        assertTrue(e.getMessage().startsWith("ext.onnx: tensor 'w' uses external data"), e.getMessage());
        assertTrue(e.getMessage().contains("external data not supported"), e.getMessage());
    }

    @Test
    void dataLengthMismatchNamesTheTensor() {
        OnnxBuilder b = new OnnxBuilder();
        b.initializers.add(tensor("w", OnnxDataType.FLOAT, new long[] {2, 3}, new byte[20]));
        LacunaException e = assertThrows(LacunaException.class, () -> OnnxModel.parse(b.model(), "bad.onnx"));
        assertEquals("bad.onnx: tensor 'w' data has 20 bytes, expected FLOAT[2, 3] = 24 bytes", e.getMessage());

        OnnxBuilder b2 = new OnnxBuilder();
        b2.initializers.add(tensor("huge", OnnxDataType.FLOAT, new long[] {1L << 40, 1L << 40}, new byte[4]));
        e = assertThrows(LacunaException.class, () -> OnnxModel.parse(b2.model(), "bad.onnx"));
        assertTrue(e.getMessage().contains("tensor 'huge'"), e.getMessage());
    }

    @Test
    void notAModel() throws IOException {
        LacunaException e = assertThrows(LacunaException.class, () -> OnnxModel.parse(new byte[0], "empty.onnx"));
        assertTrue(e.getMessage().contains("empty.onnx: not an ONNX model"), e.getMessage());
        byte[] text = "this is not a protobuf at all, just text\n".repeat(50).getBytes();
        e = assertThrows(LacunaException.class, () -> OnnxModel.parse(text, "garbage.onnx"));
        assertTrue(e.getMessage().startsWith("garbage.onnx: "), e.getMessage());

        Path empty = Files.write(tmp.resolve("empty.onnx"), new byte[0]);
        e = assertThrows(LacunaException.class, () -> OnnxModel.load(empty));
        assertTrue(e.getMessage().contains("empty file"), e.getMessage());
        e = assertThrows(LacunaException.class, () -> OnnxModel.load(tmp.resolve("absent.onnx")));
        assertTrue(e.getMessage().endsWith("absent.onnx: no such file"), e.getMessage());
        e = assertThrows(LacunaException.class, () -> OnnxModel.load(tmp));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void truncatedRealFileIsReportedAsTruncated() throws IOException {
        byte[] full = Files.readAllBytes(TestModels.path(TestModels.MINILM_Q));
        long[] cuts = {1, 2, 10, 100, 1000, 4096, 65536, full.length / 3, full.length / 2, full.length - 100, full.length - 1};
        for (long cut : cuts) {
            byte[] part = Arrays.copyOf(full, (int) cut);
            LacunaException e = assertThrows(LacunaException.class, () -> OnnxModel.parse(part, "cut.onnx"), "cut at " + cut);
            // a cut between two top-level fields leaves a well-formed message without a graph
            assertTrue(e.getMessage().startsWith("cut.onnx: truncated protobuf at offset ")
                    || cut == 2 && e.getMessage().equals("cut.onnx: not an ONNX model (no graph found)"), "cut at " + cut + ": " + e.getMessage());
        }
        Path file = Files.write(tmp.resolve("cut.onnx"), Arrays.copyOf(full, full.length / 3));
        LacunaException e = assertThrows(LacunaException.class, () -> OnnxModel.load(file));
        assertTrue(e.getMessage().startsWith(file + ": truncated protobuf at offset "), e.getMessage());
    }

    private static byte[] le16(short... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : v) b.putShort(s);
        return b.array();
    }
}
