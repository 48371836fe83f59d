// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An ONNX {@code AttributeProto}. Only the field named by {@link #type()} is meaningful; the others
 * hold their defaults (0, null or empty). Graph-valued attributes are recorded by type only.
 *
 * @param name    attribute name
 * @param type    one of the type constants of this class
 * @param f       FLOAT value
 * @param i       INT value
 * @param s       STRING value (bytes), or null
 * @param t       TENSOR value, or null
 * @param floats  FLOATS value (empty if absent)
 * @param ints    INTS value (empty if absent)
 * @param strings STRINGS value (empty if absent)
 */
public record OnnxAttribute(String name, int type, float f, long i, byte[] s, OnnxTensor t,
                            float[] floats, long[] ints, List<byte[]> strings) {
    public static final int UNDEFINED = 0;
    public static final int FLOAT = 1;
    public static final int INT = 2;
    public static final int STRING = 3;
    public static final int TENSOR = 4;
    public static final int GRAPH = 5;
    public static final int FLOATS = 6;
    public static final int INTS = 7;
    public static final int STRINGS = 8;
    public static final int TENSORS = 9;
    public static final int GRAPHS = 10;
    public static final int SPARSE_TENSOR = 11;
    public static final int SPARSE_TENSORS = 12;
    public static final int TYPE_PROTO = 13;
    public static final int TYPE_PROTOS = 14;

    /** The STRING value decoded as UTF-8, or null. */
    public String string() {
        return s == null ? null : new String(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return switch (type) {
            case FLOAT -> name + "=" + f;
            case INT -> name + "=" + i;
            case STRING -> name + "='" + string() + "'";
            case TENSOR -> name + "=" + t;
            case FLOATS -> name + "=" + java.util.Arrays.toString(floats);
            case INTS -> name + "=" + java.util.Arrays.toString(ints);
            default -> name + "(type " + type + ")";
        };
    }
}
