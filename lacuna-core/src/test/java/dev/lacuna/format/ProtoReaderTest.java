// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import dev.lacuna.LacunaException;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class ProtoReaderTest {
    @Test
    void readsAllWireTypesAndSkipsUnknownFields() {
        ProtoWriter inner = new ProtoWriter().varint(1, 7).string(2, "héllo");
        byte[] bytes = new ProtoWriter()
                .varint(1, 150)
                .varint(2, -1L)                   // 10-byte varint
                .fixed64(3, 0x0102030405060708L)
                .string(4, "abc")
                .floatField(5, 1.5f)
                .message(6, inner)
                .varint(99, 12345)                // unknown, skipped
                .bytes(100, new byte[300])        // unknown, skipped
                .fixed32(101, 1)                  // unknown, skipped
                .fixed64(102, 1)                  // unknown, skipped
                .packedVarints(7, 1, 300, 70000)
                .varint(7, 5)                     // the same repeated field, unpacked
                .packedFloats(8, 1f, 2f, 3f)
                .toByteArray();
        ProtoReader r = new ProtoReader(bytes, "test.bin");
        ProtoReader.LongList ints = new ProtoReader.LongList();
        MemorySegment floats = null;
        int seen = 0;
        while (r.next() != -1) {
            switch (r.field()) {
                case 1 -> assertEquals(150, r.readVarint());
                case 2 -> assertEquals(-1L, r.readVarint());
                case 3 -> assertEquals(0x0102030405060708L, r.readFixed64());
                case 4 -> assertEquals("abc", r.readString());
                case 5 -> assertEquals(1.5f, r.readFloat());
                case 6 -> {
                    ProtoReader m = r.readMessage();
                    assertEquals(1, m.next());
                    assertEquals(7, m.readInt32());
                    assertEquals(2, m.next());
                    assertEquals("héllo", m.readString());
                    assertEquals(-1, m.next());
                }
                case 7 -> r.readVarints(ints);
                case 8 -> floats = r.readFixedRun(4);
                default -> r.skip();
            }
            seen++;
        }
        assertEquals(13, seen);
        assertArrayEquals(new long[] {1, 300, 70000, 5}, ints.toArray());
        assertNotNull(floats);
        float[] f = floats.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
        assertArrayEquals(new float[] {1f, 2f, 3f}, f);
        assertEquals(bytes.length, r.position());
    }

    @Test
    void bytesViewIsNotACopy() {
        byte[] bytes = new ProtoWriter().bytes(1, new byte[] {1, 2, 3}).toByteArray();
        ProtoReader r = new ProtoReader(bytes, "x");
        r.next();
        MemorySegment view = r.readBytesView();
        bytes[2] = 42;
        assertEquals(42, view.get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void truncatedInputAtEveryCutIsReportedWithOffset() {
        byte[] full = new ProtoWriter().varint(1, 1L << 40).string(2, "a string value").fixed64(3, 9).floatField(4, 2f)
                .message(5, new ProtoWriter().varint(1, 300).string(2, "xyz")).toByteArray();
        java.util.Set<Long> boundaries = new java.util.HashSet<>();
        ProtoReader whole = new ProtoReader(full, "model.onnx");
        while (whole.next() != -1) {
            whole.skip();
            boundaries.add(whole.position());
        }
        assertEquals(5, boundaries.size());
        for (int cut = 1; cut < full.length; cut++) {
            if (boundaries.contains((long) cut)) continue; // a shorter but complete message
            byte[] part = Arrays.copyOf(full, cut);
            LacunaException e = assertThrows(LacunaException.class, () -> drain(new ProtoReader(part, "model.onnx")), "cut at " + cut);
            assertTrue(e.getMessage().startsWith("model.onnx: truncated protobuf at offset "), e.getMessage());
        }
        drain(new ProtoReader(full, "model.onnx")); // the whole input is fine
    }

    @Test
    void garbageLengthsAndWireTypesAreCorruptNotCrashes() {
        // a length far beyond the input
        byte[] hugeLen = new ProtoWriter().tag(1, 2).rawVarint(Long.MAX_VALUE).toByteArray();
        LacunaException e = assertThrows(LacunaException.class, () -> drain(new ProtoReader(hugeLen, "m.onnx")));
        assertTrue(e.getMessage().contains("m.onnx: truncated protobuf at offset 1"), e.getMessage());
        // a negative length (10-byte varint)
        byte[] negLen = new ProtoWriter().tag(1, 2).rawVarint(-5).toByteArray();
        assertThrows(LacunaException.class, () -> drain(new ProtoReader(negLen, "m.onnx")));
        // wire types 3, 4 (groups), 6 and 7 (invalid)
        for (int wt : new int[] {3, 4, 6, 7}) {
            byte[] b = new ProtoWriter().tag(1, wt).rawVarint(0).toByteArray();
            e = assertThrows(LacunaException.class, () -> drain(new ProtoReader(b, "m.onnx")));
            assertTrue(e.getMessage().contains("corrupt protobuf at offset 0"), e.getMessage());
        }
        // field number 0
        assertThrows(LacunaException.class, () -> drain(new ProtoReader(new byte[] {0, 0}, "m.onnx")));
        // an 11-byte varint
        byte[] longVarint = new byte[12];
        Arrays.fill(longVarint, (byte) 0x80);
        longVarint[0] = 8;
        assertThrows(LacunaException.class, () -> drain(new ProtoReader(longVarint, "m.onnx")));
        // a nested length running past its parent (but inside the input)
        byte[] inner = new ProtoWriter().tag(1, 2).rawVarint(50).toByteArray();
        byte[] outer = new ProtoWriter().bytes(1, inner).bytes(2, new byte[100]).toByteArray();
        e = assertThrows(LacunaException.class, () -> {
            ProtoReader r = new ProtoReader(outer, "m.onnx");
            r.next();
            drain(r.readMessage());
        });
        assertTrue(e.getMessage().contains("corrupt protobuf"), e.getMessage());
    }

    @Test
    void wrongWireTypeForAReadIsCorrupt() {
        byte[] b = new ProtoWriter().varint(1, 5).toByteArray();
        ProtoReader r = new ProtoReader(b, "m.onnx");
        r.next();
        LacunaException e = assertThrows(LacunaException.class, r::readString);
        assertTrue(e.getMessage().contains("wire type 0, expected 2"), e.getMessage());
    }

    /** Reads every field, descending into length-delimited ones as messages where they parse. */
    private static void drain(ProtoReader r) {
        while (r.next() != -1) r.skip();
    }
}
