// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lacuna.LacunaException;
import dev.lacuna.Version;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.format.Safetensors;
import dev.lacuna.format.SafetensorsFile;
import dev.lacuna.format.TensorEntry;
import dev.lacuna.tensor.FloatTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained SAE for inference: configuration, weights on the raw activation scale, architecture.
 * Immutable once built (the trainer hands over a copy). Saved as a directory in SAELens's layout:
 * {@code cfg.json} + {@code sae_weights.safetensors} with {@code W_enc [d_in, d_sae]}, {@code b_enc
 * [d_sae]}, {@code W_dec [d_sae, d_in]}, {@code b_dec [d_in]} and, for the thresholded architectures,
 * {@code threshold [d_sae]}.
 */
public final class Sae {
    public static final String CFG = "cfg.json", WEIGHTS = "sae_weights.safetensors";
    /** The checkpoint format this build reads and writes (cfg.json's lacuna_format, the weights' metadata format). */
    public static final String FORMAT = "lacuna-sae-v1";
    private static final String FORMAT_FAMILY = "lacuna-sae-v";

    private final SaeConfig cfg;
    private final SaeParams params;
    private final SaeArchitecture arch;
    private final ObjectNode cfgJson;

    Sae(SaeConfig cfg, SaeParams params, ObjectNode cfgJson) {
        this.cfg = cfg;
        this.params = params;
        this.arch = SaeArchitecture.of(cfg);
        this.cfgJson = cfgJson;
    }

    public SaeConfig config() {
        return cfg;
    }

    /** The cfg.json content as saved (training fields included). */
    public ObjectNode cfgJson() {
        return cfgJson.deepCopy();
    }

    SaeParams params() {
        return params;
    }

    public SaeArchitecture architecture() {
        return arch;
    }

    /** Decoder direction of latent j (a copy), [d_in]. */
    public float[] decoderRow(int j) {
        return Arrays.copyOfRange(params.wDec, j * cfg.dIn(), (j + 1) * cfg.dIn());
    }

    /** The decoder bias b_dec (a copy), [d_in]: a reconstruction is Σ_j c_j W_dec[j] + b_dec. */
    public float[] decoderBias() {
        return params.bDec.clone();
    }

    /** Codes of rows of x [rows, d_in] (per token, independent of the batch), in w.codes. */
    public void encode(Parallel par, float[] x, int rows, SaeArchitecture.Work w) {
        arch.encode(par, params, x, rows, w);
    }

    /** Writes the reconstruction of x [rows, d_in] into out [rows, d_in]; returns the codes (in w). */
    public Codes reconstruct(Parallel par, float[] x, int rows, float[] out, SaeArchitecture.Work w) {
        arch.reconstruct(par, params, x, rows, w);
        System.arraycopy(w.xhat, 0, out, 0, rows * cfg.dIn());
        return w.codes;
    }

    /** Writes cfg.json and sae_weights.safetensors into dir (an AtomicDirectory's temporary). */
    void write(Path dir) {
        int d = cfg.dIn(), l = cfg.dSae();
        float[] wEncT = new float[d * l];
        for (int j = 0; j < l; j++) for (int i = 0; i < d; i++) wEncT[i * l + j] = params.wEnc[j * d + i];
        Map<String, FloatTensor> t = new LinkedHashMap<>();
        t.put("W_enc", new FloatTensor(new int[] {d, l}, wEncT));
        t.put("b_enc", new FloatTensor(new int[] {l}, params.bEnc.clone()));
        t.put("W_dec", new FloatTensor(new int[] {l, d}, params.wDec.clone()));
        t.put("b_dec", new FloatTensor(new int[] {d}, params.bDec.clone()));
        SaeKind.Threshold kind = cfg.kind().threshold();
        if (kind != SaeKind.Threshold.NONE) {
            float[] th = new float[l];
            for (int j = 0; j < l; j++) th[j] = kind == SaeKind.Threshold.LEARNED ? (float) Math.exp(params.logThreshold[j]) : params.threshold[j];
            t.put("threshold", new FloatTensor(new int[] {l}, th));
        }
        Safetensors.writeFloats(dir.resolve(WEIGHTS), t, Map.of("format", FORMAT));
        // SAELens' cfg.json keys, plus which Lacuna wrote it in which format
        ObjectNode cfgOut = cfgJson.deepCopy();
        cfgOut.put("lacuna_format", FORMAT);
        cfgOut.put("lacuna_version", Version.get());
        try {
            Files.writeString(dir.resolve(CFG), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(cfgOut) + "\n");
        } catch (IOException e) {
            throw new LacunaException(dir + ": cannot write " + CFG + " (" + e.getMessage() + ")");
        }
    }

    /** Reads an SAE directory; a missing, corrupt or inconsistent file is a one-line error. */
    public static Sae load(Path dir) {
        Path cfgFile = dir.resolve(CFG);
        if (!Files.isDirectory(dir)) throw new LacunaException(dir + ": no such SAE directory");
        JsonNode j;
        try {
            j = new ObjectMapper().readTree(Files.readString(cfgFile));
        } catch (NoSuchFileException e) {
            throw new LacunaException(cfgFile + ": missing (not an SAE directory)");
        } catch (IOException e) {
            throw new LacunaException(cfgFile + ": not valid JSON (corrupt checkpoint)");
        }
        if (j == null || !j.isObject()) throw new LacunaException(cfgFile + ": not a JSON object (corrupt checkpoint)");
        String format = j.path("lacuna_format").asText(FORMAT);   // checkpoints from before the field are v1
        if (!FORMAT.equals(format)) {
            String by = j.path("lacuna_version").asText("");
            throw new LacunaException(cfgFile + ": SAE checkpoint format " + format + (by.isEmpty() ? "" : ", written by Lacuna " + by)
                    + "; this Lacuna (" + Version.get() + ") reads " + FORMAT + (format.startsWith(FORMAT_FAMILY) ? " (use the Lacuna that wrote it, or train it again)" : ""));
        }
        SaeConfig cfg = SaeConfig.fromJson(j, cfgFile.toString());
        int d = cfg.dIn(), l = cfg.dSae();
        SaeParams p = new SaeParams(d, l);
        Path wf = dir.resolve(WEIGHTS);
        try (SafetensorsFile f = Safetensors.open(wf)) {
            float[] wEncT = read(f, "W_enc", new int[] {d, l});
            for (int jj = 0; jj < l; jj++) for (int i = 0; i < d; i++) p.wEnc[jj * d + i] = wEncT[i * l + jj];
            System.arraycopy(read(f, "b_enc", new int[] {l}), 0, p.bEnc, 0, l);
            System.arraycopy(read(f, "W_dec", new int[] {l, d}), 0, p.wDec, 0, l * d);
            System.arraycopy(read(f, "b_dec", new int[] {d}), 0, p.bDec, 0, d);
            SaeKind.Threshold kind = cfg.kind().threshold();
            if (kind != SaeKind.Threshold.NONE) {
                float[] th = read(f, "threshold", new int[] {l});
                for (int jj = 0; jj < l; jj++) {
                    if (kind == SaeKind.Threshold.LEARNED) {
                        if (!(th[jj] > 0)) throw new LacunaException(wf + ": threshold[" + jj + "] = " + th[jj] + " is not positive");
                        p.logThreshold[jj] = (float) Math.log(th[jj]);
                    } else {
                        p.threshold[jj] = th[jj];
                    }
                }
            }
        } catch (LacunaException e) {
            throw e.getMessage().startsWith(wf.toString()) ? e : new LacunaException(wf + ": " + e.getMessage());
        }
        for (float[] a : p.all()) for (float v : a) if (!Float.isFinite(v)) throw new LacunaException(wf + ": contains NaN or infinite weights (corrupt checkpoint)");
        return new Sae(cfg, p, (ObjectNode) j);
    }

    private static float[] read(SafetensorsFile f, String name, int[] shape) {
        TensorEntry e = f.get(name);
        if (e == null) throw new LacunaException("missing tensor " + name);
        if (!Arrays.equals(e.intShape(), shape)) throw new LacunaException("tensor " + name + " has shape " + Arrays.toString(e.intShape()) + ", cfg.json implies " + Arrays.toString(shape));
        return e.toFloatTensor().data();
    }
}
