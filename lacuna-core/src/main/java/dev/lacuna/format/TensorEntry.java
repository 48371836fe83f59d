// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import dev.lacuna.LacunaException;
import dev.lacuna.tensor.FloatTensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor of a safetensors file: name, element type, shape and its little-endian bytes. Entries read
 * from a file are views of the file's mapping, valid until the {@link SafetensorsFile} is closed; the
 * {@code to*} methods copy to the heap.
 *
 * @param name  tensor name
 * @param dtype element type
 * @param shape dimensions, outermost first
 * @param data  {@code product(shape) * dtype.size()} little-endian bytes
 */
public record TensorEntry(String name, Safetensors.Dtype dtype, long[] shape, MemorySegment data) {
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public TensorEntry {
        shape = shape.clone();
        long n = elementCount(shape);
        if (n < 0 || n > Long.MAX_VALUE / dtype.size() || data.byteSize() != n * dtype.size()) {
            throw new IllegalArgumentException("tensor " + name + ": " + data.byteSize() + " bytes for " + dtype + Arrays.toString(shape));
        }
    }

    /** A float32 entry viewing the tensor's array (no copy on little-endian machines). */
    public static TensorEntry of(String name, FloatTensor t) {
        long[] shape = new long[t.rank()];
        for (int i = 0; i < shape.length; i++) shape[i] = t.dim(i);
        MemorySegment seg;
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            seg = MemorySegment.ofArray(t.data());
        } else {
            seg = MemorySegment.ofArray(new byte[t.data().length * 4]);
            MemorySegment.copy(t.data(), 0, seg, FLOAT_LE, 0, t.data().length);
        }
        return new TensorEntry(name, Safetensors.Dtype.F32, shape, seg);
    }

    /** An entry over raw little-endian bytes of any dtype (e.g. I8 weights, F16 halves). */
    public static TensorEntry ofBytes(String name, Safetensors.Dtype dtype, long[] shape, byte[] littleEndian) {
        return new TensorEntry(name, dtype, shape, MemorySegment.ofArray(littleEndian));
    }

    /** An I64 entry. */
    public static TensorEntry ofLongs(String name, long[] shape, long[] values) {
        MemorySegment seg = MemorySegment.ofArray(new byte[values.length * 8]);
        MemorySegment.copy(values, 0, seg, LONG_LE, 0, values.length);
        return new TensorEntry(name, Safetensors.Dtype.I64, shape, seg);
    }

    /** An I32 entry. */
    public static TensorEntry ofInts(String name, long[] shape, int[] values) {
        MemorySegment seg = MemorySegment.ofArray(new byte[values.length * 4]);
        MemorySegment.copy(values, 0, seg, INT_LE, 0, values.length);
        return new TensorEntry(name, Safetensors.Dtype.I32, shape, seg);
    }

    /** The dimensions (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) return -1;
            if (d != 0 && n > Long.MAX_VALUE / d) return -1;
            n *= d;
        }
        return n;
    }

    public long elementCount() {
        return elementCount(shape);
    }

    /** The shape as ints, failing if a dimension does not fit. */
    public int[] intShape() {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            if (shape[i] > Integer.MAX_VALUE) throw new LacunaException("tensor " + name + ": dimension " + shape[i] + " is too large");
            s[i] = (int) shape[i];
        }
        return s;
    }

    /** {@code F32[384, 384]}. */
    public String describe() {
        return dtype + Arrays.toString(shape);
    }

    /** The values as float32 (F32, F16, BF16 and F64 entries). */
    public FloatTensor toFloatTensor() {
        int n = count();
        float[] out = new float[n];
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, FLOAT_LE, 0, out, 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(data.getAtIndex(SHORT_LE, i));
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((data.getAtIndex(SHORT_LE, i) & 0xFFFF) << 16);
            }
            case F64 -> {
                for (int i = 0; i < n; i++) out[i] = (float) data.getAtIndex(DOUBLE_LE, i);
            }
            default -> throw new LacunaException("tensor " + name + " is " + describe() + ", expected a floating-point dtype");
        }
        return new FloatTensor(intShape(), out);
    }

    /** A copy of the raw little-endian bytes. */
    public byte[] toByteArray() {
        if (data.byteSize() > Integer.MAX_VALUE - 8) throw new LacunaException("tensor " + name + " is too large for one array");
        return data.toArray(ValueLayout.JAVA_BYTE);
    }

    /** The values of an integer or bool entry as longs (I8/I16/I32 signed, U8/U16/U32 unsigned). */
    public long[] toLongArray() {
        int n = count();
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case I8 -> data.get(ValueLayout.JAVA_BYTE, i);
                case U8, BOOL -> data.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
                case I16 -> data.getAtIndex(SHORT_LE, i);
                case U16 -> data.getAtIndex(SHORT_LE, i) & 0xFFFF;
                case I32 -> data.getAtIndex(INT_LE, i);
                case U32 -> data.getAtIndex(INT_LE, i) & 0xFFFF_FFFFL;
                case I64, U64 -> data.getAtIndex(LONG_LE, i);
                default -> throw new LacunaException("tensor " + name + " is " + describe() + ", expected an integer dtype");
            };
        }
        return out;
    }

    /** The values of an I32 entry (or any integer entry whose values fit an int). */
    public int[] toIntArray() {
        long[] l = toLongArray();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] != (int) l[i]) throw new LacunaException("tensor " + name + ": value " + l[i] + " at " + i + " does not fit an int");
            out[i] = (int) l[i];
        }
        return out;
    }

    private int count() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) throw new LacunaException("tensor " + name + " has " + n + " elements, too many for one array");
        return (int) n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorEntry e && name.equals(e.name) && dtype == e.dtype && Arrays.equals(shape, e.shape)
                && data.byteSize() == e.data.byteSize() && data.mismatch(e.data) == -1;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "TensorEntry(" + name + ": " + describe() + ")";
    }
}
