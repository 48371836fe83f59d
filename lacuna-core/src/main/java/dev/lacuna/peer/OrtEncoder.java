// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.peer;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lacuna.LacunaException;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Pooling;

import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * ONNX Runtime running an ONNX export of the same encoder: the reference for parity tests and
 * the peer in side-by-side benchmarks. Pads each batch to its longest sequence, as users of ONNX
 * Runtime do, and pools the {@code last_hidden_state} output the same way Lacuna does.
 */
public final class OrtEncoder implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String outputName;
    private final boolean wantsTypeIds;
    private final int padId;

    public OrtEncoder(byte[] onnx, int threads, int padId) {
        this(onnx, threads, padId, Map.of());
    }

    /**
     * @param config extra session config entries, e.g. {@code session.qdq_matmulnbits_accuracy_level = 0}: ONNX
     *               Runtime turns DequantizeLinear(int8 weight) + MatMul into MatMulNBits, which by default (level 4)
     *               also quantizes the activations to int8; level 0 keeps them float, as the graph says
     */
    public OrtEncoder(byte[] onnx, int threads, int padId, Map<String, String> config) {
        try {
            env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Pool threads block instead of spinning between runs: side by side in one process, a
            // spinning pool takes the cores from whichever engine runs next.
            opts.addConfigEntry("session.intra_op.allow_spinning", "0");
            opts.addConfigEntry("session.inter_op.allow_spinning", "0");
            for (var e : config.entrySet()) opts.addConfigEntry(e.getKey(), e.getValue());
            session = env.createSession(onnx, opts);
            Map<String, NodeInfo> outs = session.getOutputInfo();
            outputName = outs.containsKey("last_hidden_state") ? "last_hidden_state" : outs.keySet().iterator().next();
            wantsTypeIds = session.getInputInfo().containsKey("token_type_ids");
            this.padId = padId;
        } catch (OrtException e) {
            throw new LacunaException("onnxruntime: " + e.getMessage(), e);
        }
    }

    /** Last hidden states, padded: [B][Tmax][C] where rows past a sequence's length are padding. */
    public float[][][] hidden(Batch batch) {
        int b = batch.sequences(), tmax = batch.maxLength();
        long[] ids = new long[b * tmax];
        long[] mask = new long[b * tmax];
        for (int s = 0; s < b; s++) {
            int start = batch.seqStarts()[s], len = batch.length(s);
            for (int i = 0; i < tmax; i++) {
                ids[s * tmax + i] = i < len ? batch.ids()[start + i] : padId;
                mask[s * tmax + i] = i < len ? 1 : 0;
            }
        }
        long[] shape = {b, tmax};
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (wantsTypeIds) in.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * tmax]), shape));
            try (OrtSession.Result r = session.run(in, java.util.Set.of(outputName))) {
                return (float[][][]) r.get(0).getValue();
            }
        } catch (OrtException e) {
            throw new LacunaException("onnxruntime: " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    /** Pooled, L2-normalised embeddings [B][C]. */
    public float[][] embed(Batch batch, Pooling pooling) {
        float[][][] h = hidden(batch);
        int b = batch.sequences();
        float[][] out = new float[b][];
        for (int s = 0; s < b; s++) {
            int len = batch.length(s), c = h[s][0].length;
            float[] v = new float[c];
            if (pooling == Pooling.CLS) {
                System.arraycopy(h[s][0], 0, v, 0, c);
            } else {
                double[] acc = new double[c];
                for (int t = 0; t < len; t++) for (int j = 0; j < c; j++) acc[j] += h[s][t][j];
                for (int j = 0; j < c; j++) v[j] = (float) (acc[j] / len);
            }
            Pooling.l2Normalize(v);
            out[s] = v;
        }
        return out;
    }

    public String describe() {
        try {
            return "inputs=" + session.getInputInfo().keySet() + " outputs=" + session.getOutputInfo().keySet();
        } catch (OrtException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing a session that failed is not worth a second error
        }
    }
}
