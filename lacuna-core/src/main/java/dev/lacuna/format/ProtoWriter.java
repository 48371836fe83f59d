// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Protocol-buffers wire format, written by hand (the counterpart of {@link ProtoReader}): varints,
 * fixed-width scalars, length-delimited bytes, strings, packed repeated scalars and nested messages.
 * A nested message is built in its own writer and appended with {@link #message}. The ONNX exporter
 * writes models with it; the tests build hand-made (and malformed) inputs with the raw methods.
 */
public final class ProtoWriter {
    private final ByteArrayOutputStream out;

    public ProtoWriter() {
        this(256);
    }

    /** @param capacity initial buffer size in bytes */
    public ProtoWriter(int capacity) {
        out = new ByteArrayOutputStream(capacity);
    }

    /** A varint without a tag (for building malformed input, or the payload of a packed field). */
    public ProtoWriter rawVarint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    /** A field's tag alone: number and wire type ({@link ProtoReader#VARINT}, {@link ProtoReader#LEN}, ...). */
    public ProtoWriter tag(int field, int wireType) {
        return rawVarint(((long) field << 3) | wireType);
    }

    /** An int32/int64/enum/bool field (negative values take ten bytes, as protobuf writes them). */
    public ProtoWriter varint(int field, long value) {
        return tag(field, ProtoReader.VARINT).rawVarint(value);
    }

    public ProtoWriter fixed32(int field, int v) {
        tag(field, ProtoReader.I32);
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
        return this;
    }

    public ProtoWriter fixed64(int field, long v) {
        tag(field, ProtoReader.I64);
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    /** A float field (fixed 32 bits, little-endian). */
    public ProtoWriter float32(int field, float value) {
        return fixed32(field, Float.floatToRawIntBits(value));
    }

    /** Same as {@link #float32}. */
    public ProtoWriter floatField(int field, float value) {
        return float32(field, value);
    }

    public ProtoWriter bytes(int field, byte[] value) {
        tag(field, ProtoReader.LEN).rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    public ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A nested message: {@code m}'s bytes, length-delimited (one copy, no intermediate array). */
    public ProtoWriter message(int field, ProtoWriter m) {
        tag(field, ProtoReader.LEN).rawVarint(m.out.size());
        try {
            m.out.writeTo(out);   // a ByteArrayOutputStream target never throws
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A repeated varint field, packed. */
    public ProtoWriter packedVarints(int field, long... values) {
        ProtoWriter p = new ProtoWriter(values.length * 2 + 4);
        for (long v : values) p.rawVarint(v);
        return message(field, p);
    }

    /** A repeated float field, packed. */
    public ProtoWriter packedFloats(int field, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return bytes(field, b.array());
    }

    /** Bytes written so far. */
    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
