// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.finetune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.LacunaException;
import dev.lacuna.format.Safetensors;
import dev.lacuna.format.SafetensorsFile;
import dev.lacuna.format.TensorEntry;
import dev.lacuna.io.AtomicDirectory;
import dev.lacuna.io.IoProblem;
import dev.lacuna.tensor.FloatTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A distillation checkpoint: a directory, replaced atomically, holding {@code state.json} (format,
 * identity, step, planned steps, seconds spent, the log), {@code student.safetensors} (every student
 * tensor) and {@code moments.safetensors} (AdamW's m and v of every trained tensor, as {@code m.NAME}
 * and {@code v.NAME}). Resuming checks that the identity (the teacher's fingerprint and the recipe) is
 * the same and that the pruned weights are still zero.
 */
final class TrainingCheckpoint {
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What {@link #read} restores besides the arrays. */
    record State(long step, long plannedSteps, double seconds, TrainingLog log) {}

    private record StateFile(int format, String identity, long step, long plannedSteps, double seconds, TrainingLog log) {}

    private TrainingCheckpoint() {}

    static void write(Path dir, String identity, long step, long planned, double seconds, TrainingLog log,
                      Map<String, FloatTensor> params, Map<String, float[]> m, Map<String, float[]> v,
                      Map<String, boolean[]> kept, Map<String, int[]> shapes, Map<String, float[]> denseW) {
        try (AtomicDirectory out = AtomicDirectory.create(dir, true)) {
            Safetensors.writeFloats(out.dir().resolve("student.safetensors"), params, Map.of("format", "lacuna-distill-checkpoint"));
            Map<String, FloatTensor> moments = new LinkedHashMap<>();
            m.forEach((name, a) -> moments.put("m." + name, new FloatTensor(params.get(name).shape(), a)));
            v.forEach((name, a) -> moments.put("v." + name, new FloatTensor(params.get(name).shape(), a)));
            denseW.forEach((name, a) -> moments.put("dense." + name, new FloatTensor(shapes.get(name).clone(), a)));
            Safetensors.writeFloats(out.dir().resolve("moments.safetensors"), moments, Map.of("format", "lacuna-distill-checkpoint"));
            Map<String, TensorEntry> masks = new LinkedHashMap<>();
            kept.forEach((name, k) -> {
                byte[] b = new byte[k.length];
                for (int i = 0; i < k.length; i++) b[i] = (byte) (k[i] ? 1 : 0);
                masks.put(name, TensorEntry.ofBytes(name, Safetensors.Dtype.U8, new long[] {shapes.get(name)[0], shapes.get(name)[1]}, b));
            });
            Safetensors.write(out.dir().resolve("masks.safetensors"), masks, Map.of("format", "lacuna-distill-checkpoint"));
            Files.writeString(out.dir().resolve("state.json"),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(new StateFile(FORMAT, identity, step, planned, seconds, log)) + "\n");
            out.commit();
        } catch (IOException e) {
            throw new LacunaException(dir + ": cannot write checkpoint (" + IoProblem.describe(e) + ")");
        }
    }

    /** Restores {@code params}, {@code m} and {@code v} in place from {@code dir}; refuses another identity. */
    static State read(Path dir, String identity, Map<String, FloatTensor> params, Map<String, float[]> m, Map<String, float[]> v,
                      Map<String, boolean[]> kept, Map<String, int[]> shapes, Map<String, float[]> denseW) {
        StateFile st = checkIdentity(dir, identity);
        readMasks(dir, kept, shapes, !denseW.isEmpty());
        Map<String, FloatTensor> denseShapes = new LinkedHashMap<>();
        denseW.forEach((name, a) -> denseShapes.put(name, new FloatTensor(shapes.get(name).clone(), a)));
        load(dir, "moments.safetensors", "dense.", denseW.keySet(), denseW::get, denseShapes);
        load(dir, "student.safetensors", "", params.keySet(), name -> params.get(name).data(), params);
        load(dir, "moments.safetensors", "m.", m.keySet(), m::get, params);
        load(dir, "moments.safetensors", "v.", v.keySet(), v::get, params);
        kept.forEach((name, k) -> {
            float[] w = params.get(name + ".weight").data();
            for (int i = 0; i < w.length; i++) {
                if (!k[i] && w[i] != 0f) throw new LacunaException("--resume " + dir + ": " + name + " has weights where this recipe's mask prunes them");
            }
        });
        return new State(st.step(), st.plannedSteps(), st.seconds(), st.log());
    }

    /**
     * Replaces each mask of {@code kept} by the checkpoint's (gradual pruning and SR-STE move masks), which
     * must prune at least what the run's one-shot mask prunes unless masks may grow (SR-STE).
     */
    private static void readMasks(Path dir, Map<String, boolean[]> kept, Map<String, int[]> shapes, boolean mayGrow) {
        try (SafetensorsFile f = Safetensors.open(dir.resolve("masks.safetensors"))) {
            for (Map.Entry<String, boolean[]> e : kept.entrySet()) {
                TensorEntry t = f.get(e.getKey());
                int[] shape = shapes.get(e.getKey());
                if (t == null || t.dtype() != Safetensors.Dtype.U8 || !Arrays.equals(t.intShape(), shape)) {
                    throw new LacunaException("--resume " + dir + ": masks.safetensors has no U8 " + Arrays.toString(shape) + " mask " + e.getKey());
                }
                byte[] b = t.toByteArray();
                boolean[] now = e.getValue();
                for (int i = 0; i < b.length; i++) {
                    boolean k = b[i] != 0;
                    if (k && !now[i] && !mayGrow) throw new LacunaException("--resume " + dir + ": " + e.getKey() + " keeps weights where this recipe's mask prunes them");
                    now[i] = k;
                }
            }
        } catch (LacunaException e) {
            throw e.getMessage().startsWith("--resume") ? e : new LacunaException("--resume " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The state file of {@code dir}, refused when unreadable, of another format or of another identity. */
    static StateFile checkIdentity(Path dir, String identity) {
        if (!Files.isDirectory(dir)) throw new LacunaException("--resume " + dir + ": no such checkpoint directory");
        StateFile st;
        try {
            st = JSON.readValue(Files.readString(dir.resolve("state.json")), StateFile.class);
        } catch (NoSuchFileException e) {
            throw new LacunaException("--resume " + dir + ": not a distill checkpoint (no state.json)");
        } catch (JsonProcessingException e) {
            throw new LacunaException("--resume " + dir + ": state.json is not a checkpoint state (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new LacunaException("--resume " + dir + ": cannot read state.json (" + IoProblem.describe(e) + ")");
        }
        if (st.format() != FORMAT) throw new LacunaException("--resume " + dir + ": checkpoint format " + st.format() + ", this build reads " + FORMAT);
        if (!identity.equals(st.identity())) {
            throw new LacunaException("--resume " + dir + ": the checkpoint is of another model or recipe (" + st.identity() + ", this run " + identity + ")");
        }
        if (st.step() < 0 || st.step() > st.plannedSteps() || st.log() == null || st.log().steps().size() != st.step()) {
            throw new LacunaException("--resume " + dir + ": state.json is inconsistent (step " + st.step() + " of " + st.plannedSteps() + ")");
        }
        return st;
    }

    private static void load(Path dir, String file, String prefix, Iterable<String> names, java.util.function.Function<String, float[]> into,
                             Map<String, FloatTensor> params) {
        try (SafetensorsFile f = Safetensors.open(dir.resolve(file))) {
            for (String name : names) {
                TensorEntry e = f.get(prefix + name);
                if (e == null) throw new LacunaException("--resume " + dir + ": " + file + " has no tensor " + prefix + name);
                FloatTensor t = e.toFloatTensor();
                float[] dst = into.apply(name);
                if (!Arrays.equals(t.shape(), params.get(name).shape())) {
                    throw new LacunaException("--resume " + dir + ": " + prefix + name + " has shape " + t.shapeString() + ", the model " + params.get(name).shapeString());
                }
                System.arraycopy(t.data(), 0, dst, 0, dst.length);
            }
        } catch (LacunaException e) {
            throw e.getMessage().startsWith("--resume") ? e : new LacunaException("--resume " + dir + ": " + e.getMessage(), e);
        }
    }
}
