// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.load;

import dev.lacuna.LacunaException;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.peer.OrtEncoder;
import dev.lacuna.peer.OrtPeer;

import java.util.Map;
import java.util.function.Supplier;
/**
 * A model ready to run, plus where its ONNX exports are (when it has them) so that ONNX Runtime can
 * run the same model side by side.
 *
 * @param name      what the user asked for, e.g. {@code default}
 * @param encoder   Lacuna's encoder
 * @param source    where the weights came from, for reports
 * @param peerFiles ONNX bytes by peer name: {@code onnxruntime} (fp32 or the file itself),
 *                  {@code onnxruntime-int8} (the dynamic-int8 export)
 * @param tokenizerJson the model's tokenizer.json, to save beside derived models
 */
public record LoadedModel(String name, SentenceEncoder encoder, String source, Map<String, Supplier<byte[]>> peerFiles,
                          Supplier<byte[]> tokenizerJson) {

    /** Opens ONNX Runtime on this model's export for {@code peer}. */
    public OrtPeer peer(String peer, int threads) {
        Supplier<byte[]> f = peerFiles.get(peer);
        if (f == null) {
            throw new LacunaException("model '" + name + "' has no ONNX export for peer '" + peer + "' (available: "
                    + (peerFiles.isEmpty() ? "none" : String.join(", ", peerFiles.keySet())) + ")");
        }
        return new OrtPeer(peer, new OrtEncoder(f.get(), threads, encoder.tokenizer().padId()));
    }
}
