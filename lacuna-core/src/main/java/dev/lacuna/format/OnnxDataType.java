// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

/** ONNX {@code TensorProto.DataType} codes, with names and element sizes. */
public final class OnnxDataType {
    public static final int UNDEFINED = 0;
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT8 = 3;
    public static final int UINT16 = 4;
    public static final int INT16 = 5;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int STRING = 8;
    public static final int BOOL = 9;
    public static final int FLOAT16 = 10;
    public static final int DOUBLE = 11;
    public static final int UINT32 = 12;
    public static final int UINT64 = 13;
    public static final int COMPLEX64 = 14;
    public static final int COMPLEX128 = 15;
    public static final int BFLOAT16 = 16;

    private OnnxDataType() {
    }

    /** The ONNX name of a data type code ({@code FLOAT}, {@code INT8}, ...). */
    public static String name(int type) {
        return switch (type) {
            case UNDEFINED -> "UNDEFINED";
            case FLOAT -> "FLOAT";
            case UINT8 -> "UINT8";
            case INT8 -> "INT8";
            case UINT16 -> "UINT16";
            case INT16 -> "INT16";
            case INT32 -> "INT32";
            case INT64 -> "INT64";
            case STRING -> "STRING";
            case BOOL -> "BOOL";
            case FLOAT16 -> "FLOAT16";
            case DOUBLE -> "DOUBLE";
            case UINT32 -> "UINT32";
            case UINT64 -> "UINT64";
            case COMPLEX64 -> "COMPLEX64";
            case COMPLEX128 -> "COMPLEX128";
            case BFLOAT16 -> "BFLOAT16";
            default -> "type" + type;
        };
    }

    /** Bytes per element in {@code raw_data}, or 0 for types this reader does not decode. */
    public static int size(int type) {
        return switch (type) {
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16, FLOAT16, BFLOAT16 -> 2;
            case FLOAT, INT32, UINT32 -> 4;
            case INT64, UINT64, DOUBLE -> 8;
            default -> 0;
        };
    }

    /** Whether the type is a floating-point type convertible to float32. */
    public static boolean isFloat(int type) {
        return type == FLOAT || type == FLOAT16 || type == BFLOAT16 || type == DOUBLE;
    }

    /** Whether the type is an integer (or bool) type. */
    public static boolean isInteger(int type) {
        return switch (type) {
            case UINT8, INT8, UINT16, INT16, INT32, INT64, UINT32, UINT64, BOOL -> true;
            default -> false;
        };
    }
}
