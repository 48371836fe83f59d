// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import dev.lacuna.LacunaException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of the protobuf wire format over a {@link MemorySegment} (a heap array or a
 * memory-mapped file of any size). It decodes one message level at a time: call {@link #next()} to
 * read a field's tag, then exactly one of the {@code read*} methods or {@link #skip()} for its value.
 * Length-delimited values are returned as views of the underlying segment, never copies.
 *
 * <p>Every length, varint and offset is checked against the bounds of the enclosing message, so a
 * truncated or corrupt input raises a one-line {@link LacunaException} naming the source and the
 * absolute byte offset, never an index or allocation error.
 */
public final class ProtoReader {
    /** Wire type of varint fields (int32, int64, uint*, sint*, bool, enum). */
    public static final int VARINT = 0;
    /** Wire type of fixed 64-bit fields (fixed64, sfixed64, double). */
    public static final int I64 = 1;
    /** Wire type of length-delimited fields (string, bytes, messages, packed repeated scalars). */
    public static final int LEN = 2;
    /** Wire type of fixed 32-bit fields (fixed32, sfixed32, float). */
    public static final int I32 = 5;

    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;
    private final Window window;
    private final String source;
    private final long end;
    private long pos;
    private int field = -1;
    private int wireType = -1;
    private long tagOffset;

    /** A reader over a whole heap array; {@code source} names the input in error messages. */
    public ProtoReader(byte[] bytes, String source) {
        this(MemorySegment.ofArray(bytes), source);
    }

    /** A reader over the remaining bytes of a buffer (heap, direct or mapped). */
    public ProtoReader(java.nio.ByteBuffer buffer, String source) {
        this(MemorySegment.ofBuffer(buffer), source);
    }

    /** A reader over a whole segment; {@code source} names the input in error messages. */
    public ProtoReader(MemorySegment segment, String source) {
        this(segment, new Window(segment), 0, segment.byteSize(), source);
    }

    private ProtoReader(MemorySegment segment, Window window, long start, long end, String source) {
        this.segment = segment;
        this.window = window;
        this.source = source;
        this.pos = start;
        this.end = end;
    }

    /** The name of the input, as used in error messages. */
    public String source() {
        return source;
    }

    /** The absolute offset of the next byte to be read. */
    public long position() {
        return pos;
    }

    /** The absolute offset where this message ends. */
    public long limit() {
        return end;
    }

    /** The absolute offset of the tag of the current field. */
    public long tagOffset() {
        return tagOffset;
    }

    /**
     * Reads the next field's tag.
     *
     * @return the field number, or -1 at the end of the message
     */
    public int next() {
        if (pos >= end) {
            field = -1;
            wireType = -1;
            return -1;
        }
        tagOffset = pos;
        long tag = readRawVarint();
        int wt = (int) (tag & 7);
        long number = tag >>> 3;
        if (number == 0 || number > 0x1FFF_FFFFL) throw corrupt(tagOffset, "invalid field number " + number);
        if (wt == 3 || wt == 4) throw corrupt(tagOffset, "groups are not supported (field " + number + ")");
        if (wt != VARINT && wt != I64 && wt != LEN && wt != I32) {
            throw corrupt(tagOffset, "invalid wire type " + wt + " for field " + number);
        }
        field = (int) number;
        wireType = wt;
        return field;
    }

    /** The current field number (after {@link #next()}). */
    public int field() {
        return field;
    }

    /** The current field's wire type (after {@link #next()}). */
    public int wireType() {
        return wireType;
    }

    /** Reads a varint value of the current field. */
    public long readVarint() {
        expect(VARINT);
        return readRawVarint();
    }

    /** Reads a varint value truncated to 32 bits, as protobuf does for int32 and enum fields. */
    public int readInt32() {
        return (int) readVarint();
    }

    /** Reads a bool field. */
    public boolean readBool() {
        return readVarint() != 0;
    }

    /** Reads a fixed 32-bit value of the current field. */
    public int readFixed32() {
        expect(I32);
        return readRawFixed32();
    }

    /** Reads a fixed 64-bit value of the current field. */
    public long readFixed64() {
        expect(I64);
        return readRawFixed64();
    }

    /** Reads a float field. */
    public float readFloat() {
        return Float.intBitsToFloat(readFixed32());
    }

    /** Reads a double field. */
    public double readDouble() {
        return Double.longBitsToDouble(readFixed64());
    }

    /** Reads a length-delimited field's payload as a view of the underlying segment (no copy). */
    public MemorySegment readBytesView() {
        expect(LEN);
        long len = readLength();
        MemorySegment view = segment.asSlice(pos, len);
        pos += len;
        return view;
    }

    /** Reads a length-delimited field's payload as a new array (for small payloads). */
    public byte[] readBytes() {
        long start = pos;
        MemorySegment view = readBytesView();
        if (view.byteSize() > Integer.MAX_VALUE - 8) throw corrupt(start, "byte field of " + view.byteSize() + " bytes is too large");
        return view.toArray(ValueLayout.JAVA_BYTE);
    }

    /** Reads a string field (UTF-8). */
    public String readString() {
        return new String(readBytes(), StandardCharsets.UTF_8);
    }

    /** Reads an embedded message field, returning a reader positioned at its first field. */
    public ProtoReader readMessage() {
        expect(LEN);
        long len = readLength();
        ProtoReader sub = new ProtoReader(segment, window, pos, pos + len, source);
        pos += len;
        return sub;
    }

    /** Skips the current field's value. */
    public void skip() {
        switch (wireType) {
            case VARINT -> readRawVarint();
            case I64 -> advance(8);
            case I32 -> advance(4);
            case LEN -> {
                long len = readLength();
                pos += len;
            }
            default -> throw new IllegalStateException("skip() without a current field");
        }
    }

    /**
     * Appends the values of a repeated varint field, accepting both the packed (one length-delimited
     * run) and the unpacked (one value per tag) encodings.
     */
    public void readVarints(LongList out) {
        if (wireType == VARINT) {
            out.add(readRawVarint());
        } else if (wireType == LEN) {
            long len = readLength();
            long stop = pos + len;
            while (pos < stop) out.add(readRawVarint(stop));
            if (pos != stop) throw corrupt(pos, "packed varints overrun their field");
        } else {
            throw corrupt(tagOffset, "field " + field + " has wire type " + wireType + ", expected varints");
        }
    }

    /**
     * For a repeated fixed-width field (float: 4 bytes, double/fixed64: 8 bytes), returns the packed
     * payload as a little-endian view, or, for one unpacked value, a view of its 4 or 8 bytes.
     */
    public MemorySegment readFixedRun(int width) {
        int expectWire = width == 4 ? I32 : I64;
        if (wireType == LEN) {
            long start = pos;
            MemorySegment view = readBytesView();
            if (view.byteSize() % width != 0) {
                throw corrupt(start, "packed field " + field + " has " + view.byteSize() + " bytes, not a multiple of " + width);
            }
            return view;
        }
        if (wireType != expectWire) {
            throw corrupt(tagOffset, "field " + field + " has wire type " + wireType + ", expected " + expectWire + " or 2");
        }
        ensure(width);
        MemorySegment view = segment.asSlice(pos, width);
        pos += width;
        return view;
    }

    // ---- raw decoding --------------------------------------------------------------------------------

    private long readLength() {
        long start = pos;
        long len = readRawVarint();
        if (len < 0 || len > end - pos) {
            if (len < 0 || len > segment.byteSize() - pos || end == segment.byteSize()) {
                throw truncated(start, "length " + Long.toUnsignedString(len) + " runs past the end of the input");
            }
            throw corrupt(start, "length " + len + " runs past the end of the enclosing message");
        }
        return len;
    }

    private long readRawVarint() {
        return readRawVarint(end);
    }

    private long readRawVarint(long stop) {
        long start = pos;
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            if (pos >= stop) {
                if (stop == segment.byteSize()) throw truncated(start, "varint cut off");
                throw corrupt(start, "varint runs past the end of its message");
            }
            byte b = window.at(pos++);
            if (shift == 63 && (b & 0xFE) != 0) throw corrupt(start, "varint longer than 64 bits");
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw corrupt(start, "varint longer than 10 bytes");
    }

    private int readRawFixed32() {
        ensure(4);
        int v = segment.get(INT_LE, pos);
        pos += 4;
        return v;
    }

    private long readRawFixed64() {
        ensure(8);
        long v = segment.get(LONG_LE, pos);
        pos += 8;
        return v;
    }

    private void advance(long n) {
        ensure(n);
        pos += n;
    }

    private void ensure(long n) {
        if (end - pos < n) {
            if (end == segment.byteSize()) throw truncated(pos, "needs " + n + " bytes, " + (end - pos) + " left");
            throw corrupt(pos, "value runs past the end of its message");
        }
    }

    private void expect(int wt) {
        if (wireType != wt) {
            throw corrupt(tagOffset, "field " + field + " has wire type " + wireType + ", expected " + wt);
        }
    }

    /** An error about a truncated input at the given absolute offset. */
    public LacunaException truncated(long offset, String detail) {
        return new LacunaException(source + ": truncated protobuf at offset " + offset + " (" + detail + ")");
    }

    /** An error about corrupt content at the given absolute offset. */
    public LacunaException corrupt(long offset, String detail) {
        return new LacunaException(source + ": corrupt protobuf at offset " + offset + ": " + detail);
    }

    /**
     * A copy of the bytes around the read position: decoding tags and varints from a heap array is
     * much faster than element-wise segment access before the JIT has compiled the parser.
     * Shared by a reader and the readers of its embedded messages, which read sequentially.
     */
    private static final class Window {
        private final MemorySegment segment;
        private final byte[] buf = new byte[1 << 16];
        private long start;
        private int length;

        Window(MemorySegment segment) {
            this.segment = segment;
        }

        byte at(long p) {
            long i = p - start;
            if (i < 0 || i >= length) {
                start = p;
                length = (int) Math.min(buf.length, segment.byteSize() - p);
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, p, buf, 0, length);
                i = 0;
            }
            return buf[(int) i];
        }
    }

    /** A growable list of primitive longs. */
    public static final class LongList {
        private long[] values = new long[8];
        private int size;

        public void add(long v) {
            if (size == values.length) values = java.util.Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        public int size() {
            return size;
        }

        public long get(int i) {
            return values[i];
        }

        public long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
