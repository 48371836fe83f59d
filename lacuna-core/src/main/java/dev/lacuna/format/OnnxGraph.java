// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import dev.lacuna.LacunaException;
import dev.lacuna.tensor.FloatTensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX {@code GraphProto}: nodes, initializers, inputs and outputs, with indexes from value names
 * to the node producing them and the nodes consuming them.
 */
public final class OnnxGraph {
    private final String source;
    private final String name;
    private final List<OnnxNode> nodes;
    private final List<OnnxNode> topo;
    private final Map<String, OnnxTensor> initializers;
    private final Map<String, OnnxTensor> constants;
    private final List<OnnxValueInfo> inputs;
    private final List<OnnxValueInfo> outputs;
    private final Map<String, OnnxNode> producers = new HashMap<>();
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();

    OnnxGraph(String source, String name, List<OnnxNode> nodes, Map<String, OnnxTensor> initializers,
              List<OnnxValueInfo> inputs, List<OnnxValueInfo> outputs) {
        this.source = source;
        this.name = name;
        this.nodes = List.copyOf(nodes);
        this.initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        Map<String, OnnxTensor> consts = new LinkedHashMap<>();
        for (OnnxNode n : this.nodes) {
            for (String out : n.outputs()) {
                if (out.isEmpty()) continue;
                if (producers.putIfAbsent(out, n) != null) {
                    throw new LacunaException(source + ": value '" + out + "' is produced by two nodes");
                }
            }
            for (String in : n.inputs()) {
                if (!in.isEmpty()) consumers.computeIfAbsent(in, k -> new ArrayList<>(2)).add(n);
            }
            if (n.is("Constant") && !n.output(0).isEmpty()) {
                OnnxTensor t = constantValue(n);
                if (t != null) consts.put(n.output(0), t);
            }
        }
        this.constants = Collections.unmodifiableMap(consts);
        this.topo = sort();
    }

    private static OnnxTensor constantValue(OnnxNode n) {
        String out = n.output(0);
        for (OnnxAttribute a : n.attributes().values()) {
            switch (a.name()) {
                case "value" -> {
                    if (a.t() != null) return a.t();
                }
                case "value_float" -> {
                    return OnnxTensor.ofFloats(out, new long[0], new float[] {a.f()});
                }
                case "value_floats" -> {
                    return OnnxTensor.ofFloats(out, new long[] {a.floats().length}, a.floats());
                }
                case "value_int" -> {
                    return OnnxTensor.ofLongs(out, OnnxDataType.INT64, new long[0], new long[] {a.i()});
                }
                case "value_ints" -> {
                    return OnnxTensor.ofLongs(out, OnnxDataType.INT64, new long[] {a.ints().length}, a.ints());
                }
                default -> {
                }
            }
        }
        return null;
    }

    private List<OnnxNode> sort() {
        // Kahn's algorithm keeping the file's order among ready nodes (files are usually sorted already).
        Map<OnnxNode, Integer> pending = new HashMap<>();
        Map<OnnxNode, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) index.put(nodes.get(i), i);
        for (OnnxNode n : nodes) {
            int deps = 0;
            for (String in : n.inputs()) if (!in.isEmpty() && producers.containsKey(in)) deps++;
            pending.put(n, deps);
        }
        java.util.PriorityQueue<OnnxNode> queue = new java.util.PriorityQueue<>((a, b) -> Integer.compare(index.get(a), index.get(b)));
        for (OnnxNode n : nodes) if (pending.get(n) == 0) queue.add(n);
        List<OnnxNode> order = new ArrayList<>(nodes.size());
        while (!queue.isEmpty()) {
            OnnxNode n = queue.poll();
            order.add(n);
            for (String out : n.outputs()) {
                if (out.isEmpty()) continue;
                for (OnnxNode c : consumers.getOrDefault(out, List.of())) {
                    // a node consuming the same value twice is counted twice in pending
                    int left = pending.merge(c, -1, Integer::sum);
                    if (left == 0) queue.add(c);
                }
            }
        }
        if (order.size() != nodes.size()) throw new LacunaException(source + ": graph '" + name + "' has a cycle");
        return Collections.unmodifiableList(order);
    }

    /** The graph's name. */
    public String name() {
        return name;
    }

    /** The nodes in file order. */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** The nodes in a topological order (file order where the file is already sorted). */
    public List<OnnxNode> topologicalOrder() {
        return topo;
    }

    /** The initializers by name, in file order. */
    public Map<String, OnnxTensor> initializers() {
        return initializers;
    }

    /** The initializer of that name, or null. */
    public OnnxTensor initializer(String valueName) {
        return initializers.get(valueName);
    }

    /** A float initializer as a tensor, failing with a clear message if absent or not floating-point. */
    public FloatTensor floatInitializer(String valueName) {
        OnnxTensor t = initializers.get(valueName);
        if (t == null) throw new LacunaException(source + ": no initializer '" + valueName + "'");
        return t.toFloatTensor();
    }

    /** The constant value of a name: an initializer or the output of a {@code Constant} node; or null. */
    public OnnxTensor constant(String valueName) {
        OnnxTensor t = initializers.get(valueName);
        return t != null ? t : constants.get(valueName);
    }

    /** The graph inputs (including, in old IR versions, initializers listed as inputs). */
    public List<OnnxValueInfo> inputs() {
        return inputs;
    }

    /** The graph outputs. */
    public List<OnnxValueInfo> outputs() {
        return outputs;
    }

    /** The node producing a value, or null for graph inputs, initializers and unknown names. */
    public OnnxNode producer(String valueName) {
        return producers.get(valueName);
    }

    /** The nodes consuming a value, in file order (empty if none). */
    public List<OnnxNode> consumers(String valueName) {
        List<OnnxNode> c = consumers.get(valueName);
        return c == null ? List.of() : Collections.unmodifiableList(c);
    }

    /** The name of the file (or other source) the graph was read from. */
    public String source() {
        return source;
    }
}
