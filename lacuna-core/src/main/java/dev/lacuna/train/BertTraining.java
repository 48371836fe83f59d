// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Linear;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.model.bert.BertLayer;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.tensor.FloatTensor;

import java.util.Map;

/**
 * The whole encoder for training: a forward that records a {@link Tape} (the same embeddings as
 * {@link BertModel#forward} and {@link Pooling}, within float rounding: attention runs as the dense
 * softmax of {@link AttentionOp}) and the backward from a gradient on the pooled embeddings to every
 * parameter. Built for one set of weights.
 * Shapes: T packed tokens, C hidden, H heads, I intermediate, B sequences.
 */
public final class BertTraining {
    private final BertModel model;
    private final BertConfig cfg;
    private final float[] word, pos, type, embLnW, embLnB;
    private final LinearOp[][] linears;   // [layers][6] in BertLayer.linearNames order
    private final java.util.concurrent.atomic.AtomicReference<Workspace> workspace = new java.util.concurrent.atomic.AtomicReference<>(new Workspace());

    /**
     * @param masks kept entries [N, K] per projection name (Hugging Face naming); a projection not
     *              named gets gradients on every entry
     */
    public BertTraining(BertModel model, Map<String, boolean[]> masks) {
        this.model = model;
        this.cfg = model.config();
        if (!cfg.hiddenAct().equals("gelu")) {
            throw new LacunaException("training supports hidden_act gelu (exact), not " + cfg.hiddenAct());
        }
        Map<String, FloatTensor> t = model.tensors();
        word = t.get("embeddings.word_embeddings.weight").data();
        pos = t.get("embeddings.position_embeddings.weight").data();
        FloatTensor ty = t.get("embeddings.token_type_embeddings.weight");
        type = ty == null ? new float[cfg.hiddenSize()] : ty.data();
        embLnW = t.get("embeddings.LayerNorm.weight").data();
        embLnB = t.get("embeddings.LayerNorm.bias").data();
        linears = new LinearOp[model.layerCount()][];
        java.util.Set<String> unused = new java.util.HashSet<>(masks.keySet());
        for (int l = 0; l < linears.length; l++) {
            String[] names = BertLayer.linearNames(l);
            Linear[] ls = model.layer(l).linears();
            linears[l] = new LinearOp[ls.length];
            for (int j = 0; j < ls.length; j++) {
                unused.remove(names[j]);
                linears[l][j] = new LinearOp(ls[j], masks.get(names[j]));
            }
        }
        if (!unused.isEmpty()) throw new LacunaException("mask for no such projection: " + unused.iterator().next());
    }

    public BertModel model() {
        return model;
    }

    /** Runs the encoder and pooling, saving what {@link #backward} needs. */
    public Tape forward(Parallel par, Batch batch, Pooling pooling) {
        return forward(par, batch, pooling, null);
    }

    /**
     * {@link #forward(Parallel, Batch, Pooling)} recording into the arrays of {@code reuse} where they
     * are large enough (a training loop passes the previous step's tape once its backward is done:
     * no 100+ MB of fresh arrays per step). {@code reuse} must not be used afterwards.
     *
     * @param reuse a tape of this model's earlier forward, or null for fresh arrays
     */
    public Tape forward(Parallel par, Batch batch, Pooling pooling, Tape reuse) {
        int c = cfg.hiddenSize(), in = cfg.intermediateSize(), h = cfg.numAttentionHeads(), t = batch.tokens();
        float eps = (float) cfg.layerNormEps();
        float scale = (float) (1.0 / Math.sqrt(cfg.headDim()));
        int[] starts = batch.seqStarts();
        Tape tape = new Tape(batch, pooling, linears.length, c, in, h, reuse);
        int n = t * c;
        // The residual stream lives in the tape: each layer's input s.x is the LayerNorm output of the
        // layer before; a block's output is written straight into the sum it feeds (h1, h2).
        float[] x0 = tape.layers[0].x;
        EmbeddingOp.forward(batch, word, pos, type, c, tape.embSum);
        LayerNormOp.normalize(par, tape.embSum, t, c, embLnW, embLnB, eps, x0);
        for (int l = 0; l < linears.length; l++) {
            Tape.Layer s = tape.layers[l];
            LinearOp[] op = linears[l];
            BertLayer w = model.layer(l);
            float[] out = l + 1 < linears.length ? tape.layers[l + 1].x : tape.hidden;
            op[0].forward(par, s.x, t, s.q);
            op[1].forward(par, s.x, t, s.k);
            op[2].forward(par, s.x, t, s.v);
            AttentionOp.forward(par, s.q, s.k, s.v, s.z, starts, c, h, scale, s.probs);
            op[3].forward(par, s.z, t, s.h1);
            ResidualOp.forward(par, s.h1, s.x, n);   // h1 = r + x
            LayerNormOp.normalize(par, s.h1, t, c, w.attnLnW(), w.attnLnB(), eps, s.x1);
            op[4].forward(par, s.x1, t, s.u);
            GeluOp.forward(par, s.u, s.a, t * in);
            op[5].forward(par, s.a, t, s.h2);
            ResidualOp.forward(par, s.h2, s.x1, n);  // h2 = r + x1
            LayerNormOp.normalize(par, s.h2, t, c, w.ffnLnW(), w.ffnLnB(), eps, out);
        }
        tape.embeddings = PoolingOp.forward(pooling, tape.hidden, c, starts);
        return tape;
    }

    /**
     * The backward of {@link #forward}: adds into {@code grads} the gradient of the loss whose
     * gradient on the embeddings is {@code dEmb}.
     *
     * @param dEmb [B][C] gradient of the loss on {@link Tape#embeddings()}
     */
    public void backward(Parallel par, Tape tape, float[][] dEmb, Gradients grads) {
        backward(par, tape, dEmb, null, grads);
    }

    /**
     * The backward of {@link #forward} for a loss on the embeddings and on layer outputs (as
     * SquareHead's per-layer distillation): adds into {@code grads} (its frozen tensors skipped).
     *
     * @param dEmb [B][C] gradient of the loss on {@link Tape#embeddings()}, or null
     * @param dOut [layers] of [T, C] gradients on {@link Tape#layerOutput}, each or the whole null
     */
    public void backward(Parallel par, Tape tape, float[][] dEmb, float[][] dOut, Gradients grads) {
        Workspace ws = takeWorkspace();
        try {
            backward(par, tape, dEmb, dOut, grads, ws);
        } finally {
            ws.forgetPacked();   // holds no tape array between passes
            workspace.set(ws);
        }
    }

    /** The one workspace for whichever pass takes it first; a fresh one while it is taken (concurrent passes). */
    private Workspace takeWorkspace() {
        Workspace ws = workspace.getAndSet(null);
        return ws != null ? ws : new Workspace();
    }

    private void backward(Parallel par, Tape tape, float[][] dEmb, float[][] dOut, Gradients grads, Workspace ws) {
        Batch batch = tape.batch;
        int c = cfg.hiddenSize(), in = cfg.intermediateSize(), h = cfg.numAttentionHeads(), t = batch.tokens();
        float eps = (float) cfg.layerNormEps();
        float scale = (float) (1.0 / Math.sqrt(cfg.headDim()));
        int[] starts = batch.seqStarts();
        ws.forgetPacked();   // the tape's arrays hold a new step's activations
        float[] dx = ws.floats(Workspace.DX, t * c);     // [T, C] gradient on the residual stream
        float[] dh = ws.floats(Workspace.DH, t * c);     // [T, C] gradient on a pre-LayerNorm sum (both its terms)
        float[] tmp = ws.floats(Workspace.TMP, t * c);   // [T, C]
        float[] dq = ws.floats(Workspace.DQ, t * c), dk = ws.floats(Workspace.DK, t * c), dv = ws.floats(Workspace.DV, t * c);
        float[] da = ws.floats(Workspace.DA, t * in);    // [T, I]
        if (dEmb != null) PoolingOp.backward(tape.pooling, tape.hidden, c, starts, dEmb, dx);
        else java.util.Arrays.fill(dx, 0, t * c, 0f);
        for (int l = linears.length - 1; l >= 0; l--) {
            if (dOut != null && dOut[l] != null) ResidualOp.backward(par, dOut[l], dx, t * c);
            Tape.Layer s = tape.layers[l];
            LinearOp[] op = linears[l];
            BertLayer w = model.layer(l);
            String[] names = BertLayer.linearNames(l);
            String p = "encoder.layer." + l + ".";
            // x2 = LN(h2), h2 = x1 + ffnOut(gelu(ffnIn(x1)))
            LayerNormOp.backward(par, s.h2, dx, t, c, w.ffnLnW(), eps, dh,
                    grads.orNull(p + "output.LayerNorm.weight"), grads.orNull(p + "output.LayerNorm.bias"));
            op[5].backward(par, s.a, dh, t, da, weight(grads, names[5]), bias(grads, names[5]), ws);
            GeluOp.backward(par, s.u, da, da, t * in);
            op[4].backward(par, s.x1, da, t, tmp, weight(grads, names[4]), bias(grads, names[4]), ws);
            ResidualOp.backward(par, dh, tmp, t * c);                  // tmp = d x1
            // x1 = LN(h1), h1 = x + attnOut(attention(q(x), k(x), v(x)))
            LayerNormOp.backward(par, s.h1, tmp, t, c, w.attnLnW(), eps, dh,
                    grads.orNull(p + "attention.output.LayerNorm.weight"), grads.orNull(p + "attention.output.LayerNorm.bias"));
            op[3].backward(par, s.z, dh, t, tmp, weight(grads, names[3]), bias(grads, names[3]), ws);
            AttentionOp.backward(par, s.q, s.k, s.v, tmp, starts, c, h, scale, dq, dk, dv, s.probs);
            System.arraycopy(dh, 0, dx, 0, t * c);                     // the residual path
            float[][] dqkv = {dq, dk, dv};
            for (int j = 0; j < 3; j++) {
                op[j].backward(par, s.x, dqkv[j], t, tmp, weight(grads, names[j]), bias(grads, names[j]), ws);
                ResidualOp.backward(par, tmp, dx, t * c);
            }
        }
        float[] dLnW = grads.orNull("embeddings.LayerNorm.weight"), dLnB = grads.orNull("embeddings.LayerNorm.bias");
        float[] dWord = grads.orNull("embeddings.word_embeddings.weight"), dPos = grads.orNull("embeddings.position_embeddings.weight"),
                dType = grads.orNull("embeddings.token_type_embeddings.weight");
        if (dWord == null && dPos == null && dType == null && dLnW == null && dLnB == null) return;   // embeddings frozen
        LayerNormOp.backward(par, tape.embSum, dx, t, c, embLnW, eps, dh, dLnW, dLnB);
        if (dWord != null || dPos != null || dType != null) EmbeddingOp.backward(batch, dh, c, dWord, dPos, dType);
    }

    private static float[] weight(Gradients g, String linear) {
        return g.orNull(linear + ".weight");
    }

    private static float[] bias(Gradients g, String linear) {
        return g.orNull(linear + ".bias");
    }
}
