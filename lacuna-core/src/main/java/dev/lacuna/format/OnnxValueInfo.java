// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import java.util.List;

/**
 * An ONNX {@code ValueInfoProto} of a graph input or output.
 *
 * @param name     value name
 * @param elemType element type code ({@link OnnxDataType}), 0 if not a tensor or unknown
 * @param dims     dimensions: a number, a symbolic name, or {@code ?}; empty if unknown or scalar
 */
public record OnnxValueInfo(String name, int elemType, List<String> dims) {
    public OnnxValueInfo {
        dims = List.copyOf(dims);
    }

    @Override
    public String toString() {
        return name + ": " + OnnxDataType.name(elemType) + dims;
    }
}
