// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import java.util.List;
import java.util.Map;

/**
 * An ONNX {@code NodeProto}.
 *
 * @param name       node name (may be empty)
 * @param opType     operator, e.g. {@code MatMul}
 * @param domain     operator set domain: empty for the default ONNX domain, e.g. {@code com.microsoft}
 * @param inputs     input value names; an empty string marks an omitted optional input
 * @param outputs    output value names
 * @param attributes attributes by name
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                       Map<String, OnnxAttribute> attributes) {
    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Map.copyOf(attributes);
    }

    /** Whether this is the given operator of the default ONNX domain. */
    public boolean is(String op) {
        return opType.equals(op) && (domain.isEmpty() || domain.equals("ai.onnx"));
    }

    /** The i-th input name, or an empty string if there are fewer inputs. */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    /** The i-th output name, or an empty string if there are fewer outputs. */
    public String output(int i) {
        return i < outputs.size() ? outputs.get(i) : "";
    }

    /** The attribute of that name, or null. */
    public OnnxAttribute attribute(String attrName) {
        return attributes.get(attrName);
    }

    /** An INT attribute's value, or the default if absent. */
    public long attrInt(String attrName, long dflt) {
        OnnxAttribute a = attributes.get(attrName);
        return a == null ? dflt : a.i();
    }

    /** A FLOAT attribute's value, or the default if absent. */
    public float attrFloat(String attrName, float dflt) {
        OnnxAttribute a = attributes.get(attrName);
        return a == null ? dflt : a.f();
    }

    /** e.g. {@code MatMul 'name' (a, b) -> (c)}. */
    public String describe() {
        return (domain.isEmpty() ? "" : domain + ":") + opType + " '" + name + "' " + inputs + " -> " + outputs;
    }
}
