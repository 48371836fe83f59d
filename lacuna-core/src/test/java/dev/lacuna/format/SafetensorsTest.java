// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.LacunaException;
import dev.lacuna.tensor.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {
    static {
        TestModels.ensureTmpDir();
    }

    @TempDir
    Path dir;

    @Test
    void float32RoundTripIsBitExact() throws IOException {
        float nanPayload = Float.intBitsToFloat(0x7fc0_1234);
        Map<String, FloatTensor> in = new LinkedHashMap<>();
        in.put("zeta", new FloatTensor(new int[] {2, 3}, new float[] {1, -0f, Float.MIN_VALUE, nanPayload, Float.POSITIVE_INFINITY, -1e-38f}));
        in.put("alpha", new FloatTensor(new int[0], new float[] {3.25f}));
        in.put("empty", new FloatTensor(new int[] {0, 4}, new float[0]));
        float[] big = new float[300_000];
        Random r = new Random(1);
        for (int i = 0; i < big.length; i++) big[i] = (float) r.nextGaussian();
        in.put("m.big", new FloatTensor(new int[] {600, 500}, big)); // more than the 1 MiB copy buffer
        Path f = dir.resolve("t.safetensors");
        Safetensors.writeFloats(f, in, Map.of("format", "pt", "note", "ünïcode"));

        try (SafetensorsFile sf = Safetensors.open(f)) {
            assertEquals(Map.of("format", "pt", "note", "ünïcode"), sf.metadata());
            assertEquals(List.of("alpha", "empty", "m.big", "zeta"), new ArrayList<>(sf.tensors().keySet()));
            for (Map.Entry<String, FloatTensor> e : in.entrySet()) {
                TensorEntry te = sf.require(e.getKey());
                assertEquals(Safetensors.Dtype.F32, te.dtype());
                FloatTensor back = te.toFloatTensor();
                assertArrayEquals(e.getValue().shape(), back.shape());
                for (int i = 0; i < back.data().length; i++) {
                    assertEquals(Float.floatToRawIntBits(e.getValue().data()[i]), Float.floatToRawIntBits(back.data()[i]), e.getKey() + "[" + i + "]");
                }
            }
        }
        // the layout Hugging Face writes: header padded with spaces to 8 bytes, tensors in order, contiguous
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{"), header);
        assertEquals(header.strip().length() + (n - header.strip().length()), n);
        assertTrue(header.substring(header.lastIndexOf('}') + 1).isBlank());
        JsonNode root = new ObjectMapper().readTree(header);
        long expectStart = 0;
        Iterator<String> names = root.fieldNames();
        names.next(); // __metadata__
        for (String name : List.of("alpha", "empty", "m.big", "zeta")) {
            assertEquals(name, names.next());
            JsonNode off = root.get(name).get("data_offsets");
            assertEquals(expectStart, off.get(0).asLong());
            expectStart = off.get(1).asLong();
        }
        assertEquals(bytes.length - 8 - n, expectStart);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void integerAndHalfDtypesRoundTripRawBytes() {
        Map<String, TensorEntry> in = new LinkedHashMap<>();
        in.put("i8", TensorEntry.ofBytes("i8", Safetensors.Dtype.I8, new long[] {4}, new byte[] {-128, -1, 0, 127}));
        in.put("u8", TensorEntry.ofBytes("u8", Safetensors.Dtype.U8, new long[] {2, 2}, new byte[] {(byte) 255, 0, 1, (byte) 128}));
        in.put("i32", TensorEntry.ofInts("i32", new long[] {3}, new int[] {Integer.MIN_VALUE, -7, Integer.MAX_VALUE}));
        in.put("i64", TensorEntry.ofLongs("i64", new long[] {1, 2}, new long[] {Long.MIN_VALUE, 1L << 50}));
        in.put("f16", TensorEntry.ofBytes("f16", Safetensors.Dtype.F16, new long[] {3}, le16(0x3C00, 0xC000, 0x7BFF)));
        in.put("bf16", TensorEntry.ofBytes("bf16", Safetensors.Dtype.BF16, new long[] {2}, le16(0x3FC0, 0xC040)));
        Path f = dir.resolve("ints.safetensors");
        Safetensors.write(f, in, Map.of());
        try (SafetensorsFile sf = Safetensors.open(f)) {
            assertTrue(sf.metadata().isEmpty());
            for (Map.Entry<String, TensorEntry> e : in.entrySet()) {
                TensorEntry got = sf.require(e.getKey());
                assertEquals(e.getValue(), got, e.getKey());
                assertArrayEquals(e.getValue().toByteArray(), got.toByteArray(), e.getKey());
            }
            assertArrayEquals(new long[] {-128, -1, 0, 127}, sf.require("i8").toLongArray());
            assertArrayEquals(new long[] {255, 0, 1, 128}, sf.require("u8").toLongArray());
            assertArrayEquals(new int[] {Integer.MIN_VALUE, -7, Integer.MAX_VALUE}, sf.require("i32").toIntArray());
            assertArrayEquals(new long[] {Long.MIN_VALUE, 1L << 50}, sf.require("i64").toLongArray());
            assertArrayEquals(new float[] {1f, -2f, 65504f}, sf.require("f16").toFloatTensor().data());
            assertArrayEquals(new float[] {1.5f, -3f}, sf.require("bf16").toFloatTensor().data());
            LacunaException e = assertThrows(LacunaException.class, () -> sf.require("i8").toFloatTensor());
            assertTrue(e.getMessage().contains("tensor i8 is I8[4], expected a floating-point dtype"), e.getMessage());
            e = assertThrows(LacunaException.class, () -> sf.require("absent"));
            assertEquals(f + ": no tensor 'absent'", e.getMessage());
        }
    }

    @Test
    void readsAHandWrittenHuggingFaceStyleFile() throws IOException {
        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"a\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]}}";
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3C00).putShort((short) 0x4000).putShort((short) 0x3800).putShort((short) 0);
        data.putFloat(-1.25f).putFloat(8f);
        Path f = write("hf.safetensors", json, data.array());
        try (SafetensorsFile sf = Safetensors.open(f)) {
            assertEquals("pt", sf.metadata().get("format"));
            assertArrayEquals(new float[] {1f, 2f, 0.5f, 0f}, sf.require("a").toFloatTensor().data());
            assertArrayEquals(new int[] {2, 2}, sf.require("a").toFloatTensor().shape());
            assertArrayEquals(new float[] {-1.25f, 8f}, sf.require("b").toFloatTensor().data());
        }
    }

    @Test
    void corruptFilesAreClearErrors() throws IOException {
        byte[] data = new byte[16];
        expectError(write("short.safetensors", new byte[5]), "truncated: 5 bytes, no header length");
        expectError(writeRaw("huge.safetensors", 1000, "{}".getBytes()), "header length 1000 is larger than the file");
        expectError(writeRaw("neg.safetensors", -1, "{}".getBytes()), "header length 18446744073709551615 is larger than the file");
        expectError(write("json.safetensors", "{\"a\": {\"dtype\": ", data), "invalid JSON header");
        expectError(write("array.safetensors", "[1, 2]", data), "header is not a JSON object");
        expectError(write("dup.safetensors", entry("a", "F32", "[1]", 0, 4) + "," + entry("a", "F32", "[1]", 4, 8), data), "invalid JSON header");
        expectError(write("dtype.safetensors", entry("w", "F8_E4M3", "[4]", 0, 4), data), "tensor 'w': unsupported dtype 'F8_E4M3'");
        expectError(write("range.safetensors", entry("w", "F32", "[8]", 0, 32), data), "tensor 'w': data_offsets end 32 is beyond the 16 data bytes");
        expectError(write("reversed.safetensors", entry("w", "F32", "[0]", 8, 4), data), "tensor 'w': data_offsets [8, 4] are reversed");
        expectError(write("size.safetensors", entry("w", "F32", "[3]", 0, 16), data), "tensor 'w': 16 bytes in data_offsets, but F32[3] needs 12");
        expectError(write("i64size.safetensors", entry("w", "I64", "[3]", 0, 16), data), "tensor 'w': 16 bytes in data_offsets, but I64[3] needs 24");
        expectError(write("overlap.safetensors", entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12), data),
                "tensor 'b': data overlaps tensor 'a'");
        expectError(write("negshape.safetensors", entry("w", "F32", "[-1]", 0, 4), data), "tensor 'w': shape has an invalid value -1");
        expectError(write("noshape.safetensors", "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", data), "tensor 'w': missing shape");
        expectError(write("meta.safetensors", "{\"__metadata__\":{\"n\":3}}", data), "__metadata__ value of 'n' is not a string");
        expectError(dir.resolve("absent.safetensors"), "no such file");
    }

    @Test
    void truncatedFilesAreClearErrors() throws IOException {
        Map<String, FloatTensor> in = Map.of("a", new FloatTensor(new int[] {10, 10}, new float[100]),
                "b", new FloatTensor(new int[] {5}, new float[5]));
        Path f = dir.resolve("full.safetensors");
        Safetensors.writeFloats(f, in, Map.of("format", "pt"));
        byte[] full = Files.readAllBytes(f);
        for (int cut : new int[] {0, 3, 8, 9, 40, full.length - 420 - 1, full.length - 1}) {
            Path part = dir.resolve("cut" + cut + ".safetensors");
            Files.write(part, Arrays.copyOf(full, cut));
            LacunaException e = assertThrows(LacunaException.class, () -> Safetensors.open(part).close(), "cut " + cut);
            assertTrue(e.getMessage().startsWith(part + ": "), e.getMessage());
        }
        // flipping header bytes never escapes as anything but LacunaException
        Random r = new Random(3);
        long n = ByteBuffer.wrap(full).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Path flipped = dir.resolve("flipped.safetensors");
        for (int i = 0; i < 300; i++) {
            byte[] copy = full.clone();
            int at = r.nextInt((int) n + 8);
            copy[at] ^= (byte) (1 + r.nextInt(255));
            Files.write(flipped, copy);
            try (SafetensorsFile sf = Safetensors.open(flipped)) {
                for (TensorEntry te : sf.tensors().values()) {
                    if (te.dtype() == Safetensors.Dtype.F32) te.toFloatTensor();
                }
            } catch (LacunaException expected) {
                assertTrue(expected.getMessage().startsWith(flipped + ": ") || expected.getMessage().startsWith("tensor "), expected.getMessage());
            }
        }
    }

    @Test
    void writingReplacesAnExistingFileAndFailsClearlyWithoutADirectory() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Files.writeString(f, "old content");
        Safetensors.writeFloats(f, Map.of("x", new FloatTensor(new int[] {1}, new float[] {2f})), null);
        try (SafetensorsFile sf = Safetensors.open(f)) {
            assertArrayEquals(new float[] {2f}, sf.require("x").toFloatTensor().data());
        }
        Path nowhere = dir.resolve("missing-dir").resolve("w.safetensors");
        LacunaException e = assertThrows(LacunaException.class,
                () -> Safetensors.writeFloats(nowhere, Map.of("x", new FloatTensor(new int[] {1}, new float[1])), null));
        assertTrue(e.getMessage().startsWith(nowhere + ": cannot write"), e.getMessage());
    }

    private void expectError(Path f, String fragment) {
        LacunaException e = assertThrows(LacunaException.class, () -> Safetensors.open(f).close(), f.toString());
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private Path write(String name, String jsonBody, byte[] data) throws IOException {
        String json = jsonBody.startsWith("{") || jsonBody.startsWith("[") ? jsonBody : "{" + jsonBody + "}";
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return write(name, b.array());
    }

    private Path writeRaw(String name, long headerLength, byte[] rest) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(rest);
        return write(name, b.array());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] le16(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int s : v) b.putShort((short) s);
        return b.array();
    }
}
