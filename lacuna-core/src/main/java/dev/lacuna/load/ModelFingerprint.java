// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.load;

import dev.lacuna.attention.ModelIdentity;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.tensor.FloatTensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

/**
 * Fingerprints of a model's configuration and weights, so that a file derived from one model (an
 * attention plan) can tell when it is applied to another. SHA-256 of the config record's text and of
 * every tensor's name, shape and little-endian values (pruned projections hash as their dense zeros).
 */
public final class ModelFingerprint {
    private ModelFingerprint() {}

    public static ModelIdentity of(LoadedModel m) {
        return of(m.name(), m.encoder().model());
    }

    public static ModelIdentity of(String name, BertModel model) {
        MessageDigest config = sha256();
        config.update(model.config().toString().getBytes(StandardCharsets.UTF_8));
        MessageDigest weights = sha256();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, FloatTensor> e : model.tensors().entrySet()) {
            weights.update((e.getKey() + Arrays.toString(e.getValue().shape())).getBytes(StandardCharsets.UTF_8));
            float[] d = e.getValue().data();
            for (int i = 0; i < d.length; ) {
                int n = Math.min(d.length - i, buf.capacity() / Float.BYTES);
                buf.clear();
                buf.asFloatBuffer().put(d, i, n);
                weights.update(buf.array(), 0, n * Float.BYTES);
                i += n;
            }
        }
        return new ModelIdentity(name, hex(config), hex(weights));
    }

    private static String hex(MessageDigest d) {
        return "sha256:" + HexFormat.of().formatHex(d.digest(), 0, 8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
