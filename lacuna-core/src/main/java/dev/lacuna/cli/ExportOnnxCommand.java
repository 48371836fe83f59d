// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.LacunaException;
import dev.lacuna.Version;
import dev.lacuna.format.BertOnnxExporter;
import dev.lacuna.io.AtomicOutput;
import dev.lacuna.load.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lacuna export onnx}: any Lacuna model (embedded, ONNX, Hugging Face or Lacuna directory;
 * pruned or int8) as a standard BERT ONNX graph ({@link BertOnnxExporter}) with {@code tokenizer.json}
 * beside it. Both files are written atomically; an existing output is refused unless --overwrite, and
 * an existing tokenizer.json that differs from the model's is refused the same way.
 */
@Command(name = "onnx", mixinStandardHelpOptions = true,
        description = "Write a model as a standard BERT ONNX graph (opset 17; inputs input_ids, attention_mask, token_type_ids; "
                + "output last_hidden_state), pruned weights as dense tensors with their zeros, int8 weights as DequantizeLinear; "
                + "tokenizer.json beside it.")
public final class ExportOnnxCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "default", paramLabel = "M",
            description = "default (all-MiniLM-L6-v2), bge-small-q, a .onnx file, or a model directory (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "the ONNX file; tokenizer.json is written beside it")
    Path out;

    @Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() throws IOException {
        if (!out.getFileName().toString().endsWith(".onnx")) throw new LacunaException("--out " + out + ": must end in .onnx");
        Path tokOut = out.toAbsolutePath().resolveSibling("tokenizer.json");
        overwrite.refuseExisting(out, Path.of(model));
        LoadedModel lm = dev.lacuna.load.ModelLoader.load(model);
        byte[] tokenizer = lm.tokenizerJson().get();
        if (Files.exists(tokOut) && !overwrite.overwrite && !Arrays.equals(Files.readAllBytes(tokOut), tokenizer)) {
            throw new LacunaException(tokOut + " already exists with another tokenizer (use --overwrite to replace it)");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("lacuna.pooling", lm.encoder().pooling().name().toLowerCase(java.util.Locale.ROOT));
        meta.put("lacuna.max_length", String.valueOf(lm.encoder().tokenizer().maxLength()));
        meta.put("lacuna.version", Version.get());
        meta.put("lacuna.source", lm.source());
        byte[] onnx = BertOnnxExporter.export(lm.encoder().model(), lm.name(), meta);
        AtomicOutput.writeBytes(tokOut, tokenizer);
        AtomicOutput.writeBytes(out, onnx);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("out", out.toString());
        line.put("tokenizer", tokOut.toString());
        line.put("bytes", onnx.length);
        line.put("opset", 17);
        line.put("pooling", meta.get("lacuna.pooling"));
        line.put("max_length", lm.encoder().tokenizer().maxLength());
        System.out.println(new ObjectMapper().writeValueAsString(line));
        return 0;
    }
}
