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
 * An ONNX {@code TensorProto}: name, element type, dimensions and the data. Data stored as
 * {@code raw_data} (or packed {@code float_data}/{@code double_data}) stays a view of the model's
 * bytes, typically a memory-mapped file, until one of the {@code to*} methods converts it.
 */
public final class OnnxTensor {
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String source;
    private final String name;
    private final int dataType;
    private final long[] dims;
    private final long count;
    private final MemorySegment raw;  // little-endian elements, or null
    private final long[] values;      // decoded int32_data / int64_data / uint64_data, or null
    private final boolean external;

    OnnxTensor(String source, String name, int dataType, long[] dims, MemorySegment raw, long[] values, boolean external) {
        this.source = source;
        this.name = name;
        this.dataType = dataType;
        this.dims = dims;
        this.raw = raw;
        this.values = values;
        this.external = external;
        long n = 1;
        for (long d : dims) {
            if (d < 0) throw error("negative dimension in " + Arrays.toString(dims));
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw error("dimensions " + Arrays.toString(dims) + " overflow");
            }
        }
        this.count = n;
        if (external) return;
        int size = OnnxDataType.size(dataType);
        if (raw != null && size > 0 && !(n <= Long.MAX_VALUE / size && raw.byteSize() == n * size)) {
            throw error("data has " + raw.byteSize() + " bytes, expected " + describe() + " = "
                    + (n > Long.MAX_VALUE / size ? "too many" : String.valueOf(n * size)) + " bytes");
        }
        if (values != null && values.length != n) {
            throw error("data has " + values.length + " values, expected " + describe() + " = " + n);
        }
    }

    /** A tensor built in memory, for tests and synthetic graphs: float32 data. */
    public static OnnxTensor ofFloats(String name, long[] dims, float[] data) {
        MemorySegment seg = MemorySegment.ofArray(new byte[data.length * 4]);
        MemorySegment.copy(data, 0, seg, FLOAT_LE, 0, data.length);
        return new OnnxTensor("<memory>", name, OnnxDataType.FLOAT, dims.clone(), seg, null, false);
    }

    /** A tensor built in memory: integer data of the given ONNX integer type. */
    public static OnnxTensor ofLongs(String name, int dataType, long[] dims, long[] data) {
        if (!OnnxDataType.isInteger(dataType)) throw new IllegalArgumentException("not an integer type: " + dataType);
        return new OnnxTensor("<memory>", name, dataType, dims.clone(), null, data.clone(), false);
    }

    public String name() {
        return name;
    }

    /** The ONNX data type code; see {@link OnnxDataType}. */
    public int dataType() {
        return dataType;
    }

    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public long elementCount() {
        return count;
    }

    /** Whether the data lives in an external file (not supported; the data accessors throw). */
    public boolean isExternal() {
        return external;
    }

    /** The dimensions as ints, failing if one does not fit. */
    public int[] shape() {
        int[] s = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE) throw error("dimension " + dims[i] + " is too large");
            s[i] = (int) dims[i];
        }
        return s;
    }

    /** e.g. {@code FLOAT[384, 1536]}. */
    public String describe() {
        return OnnxDataType.name(dataType) + Arrays.toString(dims);
    }

    /** The values as float32, for FLOAT, FLOAT16, BFLOAT16 and DOUBLE tensors. */
    public float[] toFloatArray() {
        requireData();
        int n = intCount();
        float[] out = new float[n];
        switch (dataType) {
            case OnnxDataType.FLOAT -> {
                if (raw != null) MemorySegment.copy(raw, FLOAT_LE, 0, out, 0, n);
            }
            case OnnxDataType.DOUBLE -> {
                if (raw != null) for (int i = 0; i < n; i++) out[i] = (float) raw.getAtIndex(DOUBLE_LE, i);
            }
            case OnnxDataType.FLOAT16, OnnxDataType.BFLOAT16 -> {
                boolean bf = dataType == OnnxDataType.BFLOAT16;
                for (int i = 0; i < n; i++) {
                    short bits = raw != null ? raw.getAtIndex(SHORT_LE, i) : (short) values[i];
                    out[i] = bf ? Float.intBitsToFloat((bits & 0xFFFF) << 16) : Float.float16ToFloat(bits);
                }
            }
            default -> throw error("is " + describe() + ", expected a floating-point tensor");
        }
        return out;
    }

    /** The values as a {@link FloatTensor} of the same shape (floating-point types only). */
    public FloatTensor toFloatTensor() {
        return new FloatTensor(shape(), toFloatArray());
    }

    /** The raw bytes of an INT8, UINT8 or BOOL tensor (INT8 two's complement, UINT8 as stored). */
    public byte[] toByteArray() {
        requireData();
        if (dataType != OnnxDataType.INT8 && dataType != OnnxDataType.UINT8 && dataType != OnnxDataType.BOOL) {
            throw error("is " + describe() + ", expected INT8, UINT8 or BOOL");
        }
        int n = intCount();
        if (raw != null) return raw.toArray(ValueLayout.JAVA_BYTE);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) out[i] = (byte) values[i];
        return out;
    }

    /** The values of an integer (or bool) tensor as longs; INT8 is signed, UINT8 unsigned. */
    public long[] toLongArray() {
        requireData();
        if (!OnnxDataType.isInteger(dataType)) throw error("is " + describe() + ", expected an integer tensor");
        int n = intCount();
        long[] out = new long[n];
        if (raw == null) {
            for (int i = 0; i < n; i++) out[i] = normalize(values[i]);
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = switch (dataType) {
                case OnnxDataType.INT8 -> raw.get(ValueLayout.JAVA_BYTE, i);
                case OnnxDataType.UINT8, OnnxDataType.BOOL -> raw.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
                case OnnxDataType.INT16 -> raw.getAtIndex(SHORT_LE, i);
                case OnnxDataType.UINT16 -> raw.getAtIndex(SHORT_LE, i) & 0xFFFF;
                case OnnxDataType.INT32 -> raw.getAtIndex(INT_LE, i);
                case OnnxDataType.UINT32 -> raw.getAtIndex(INT_LE, i) & 0xFFFF_FFFFL;
                default -> raw.getAtIndex(LONG_LE, i);
            };
        }
        return out;
    }

    /** The values of any numeric tensor as doubles (small constants: shapes, scales, epsilons). */
    public double[] toDoubleArray() {
        double[] out = new double[intCount()];
        if (OnnxDataType.isFloat(dataType)) {
            if (dataType == OnnxDataType.DOUBLE && raw != null) {
                requireData();
                for (int i = 0; i < out.length; i++) out[i] = raw.getAtIndex(DOUBLE_LE, i);
                return out;
            }
            float[] f = toFloatArray();
            for (int i = 0; i < out.length; i++) out[i] = f[i];
            return out;
        }
        long[] l = toLongArray();
        for (int i = 0; i < out.length; i++) out[i] = l[i];
        return out;
    }

    /** The single value of a one-element numeric tensor. */
    public double scalar() {
        if (count != 1) throw error("is " + describe() + ", expected a single value");
        return toDoubleArray()[0];
    }

    private long normalize(long v) {
        return switch (dataType) {
            case OnnxDataType.INT8 -> (byte) v;
            case OnnxDataType.UINT8, OnnxDataType.BOOL -> v & 0xFF;
            case OnnxDataType.INT16 -> (short) v;
            case OnnxDataType.UINT16 -> v & 0xFFFF;
            case OnnxDataType.INT32 -> (int) v;
            case OnnxDataType.UINT32 -> v & 0xFFFF_FFFFL;
            default -> v;
        };
    }

    private int intCount() {
        if (count > Integer.MAX_VALUE - 8) throw error("has " + count + " elements, too many for one array");
        return (int) count;
    }

    private void requireData() {
        if (external) {
            throw new LacunaException(source + ": tensor '" + name + "' uses external data, which is not supported"
                    + " (external data not supported; save the model with all weights inside the .onnx file)");
        }
        if (OnnxDataType.size(dataType) == 0) throw error("has unsupported data type " + OnnxDataType.name(dataType));
        if (raw == null && values == null && count > 0) throw error("has no data (" + describe() + ")");
        if (raw == null && values != null && (dataType == OnnxDataType.FLOAT || dataType == OnnxDataType.DOUBLE)) {
            throw error("stores " + OnnxDataType.name(dataType) + " data in an integer field");
        }
    }

    private LacunaException error(String what) {
        return new LacunaException(source + ": tensor '" + name + "' " + what);
    }

    @Override
    public String toString() {
        return "OnnxTensor(" + name + ": " + describe() + ")";
    }
}
