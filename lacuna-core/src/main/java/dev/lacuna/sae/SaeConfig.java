// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lacuna.LacunaException;

import java.util.Locale;

/**
 * An SAE's configuration; {@code cfg.json} uses SAELens's field names where they mean the same thing
 * (d_in, d_sae, architecture, hook_name, model_name, k, l1_coefficient, dtype, device,
 * apply_b_dec_to_input, normalize_activations, dead_feature_window), Lacuna's own otherwise.
 *
 * @param architecture       topk, batchtopk, relu, jumprelu, mutualchoice, featurechoice ({@link SaeArchitectures})
 * @param dIn                activation width
 * @param dSae               latents
 * @param k                  active latents per token (topk), mean per token (batchtopk, mutualchoice,
 *                           featurechoice); unused by relu and jumprelu (0)
 * @param hookName           hook point the SAE reads, e.g. layer.3.resid_post
 * @param modelName          model the activations come from, as given to --model
 * @param l1Coefficient      relu: weight of sum_j z_j ||W_dec_j|| (Anthropic, "Training SAEs", April 2024 update)
 * @param l0Coefficient      jumprelu: weight of the L0 penalty (Rajamanoharan et al. 2024, Eq. 7)
 * @param jumpReluBandwidth  jumprelu: ε of the rectangle kernel in the pseudo-derivatives (ibid., Eq. 11-12)
 * @param auxKCoefficient    topk: α of aux_k (Gao et al. 2024, Appendix A.2), 1/32 there; 0 disables
 * @param auxK               topk / mutualchoice / featurechoice: latents used by the auxiliary loss
 * @param auxZipfCoefficient mutualchoice / featurechoice: weight of aux_zipf_loss (Ayonrinde 2024); 0 disables
 * @param deadTokens         a latent is dead once it has not fired for this many training tokens
 */
public record SaeConfig(String architecture, int dIn, int dSae, int k, String hookName, String modelName,
                        double l1Coefficient, double l0Coefficient, double jumpReluBandwidth,
                        double auxKCoefficient, int auxK, double auxZipfCoefficient, long deadTokens) {
    public SaeConfig {
        SaeKind kind = SaeArchitectures.named(architecture);
        if (dIn < 1) throw new LacunaException("d_in must be >= 1, got " + dIn);
        if (dSae < 1) throw new LacunaException("d_sae (--latents) must be >= 1, got " + dSae);
        if (kind.usesK()) {
            if (k < 1) throw new LacunaException("k must be >= 1 for " + architecture + ", got " + k);
            if (k > dSae) throw new LacunaException("k = " + k + " is larger than the latent count d_sae = " + dSae);
        }
        if (l1Coefficient < 0 || l0Coefficient < 0 || auxKCoefficient < 0 || auxZipfCoefficient < 0) throw new LacunaException("loss coefficients must be >= 0");
        if (jumpReluBandwidth <= 0) throw new LacunaException("jumprelu bandwidth must be > 0, got " + jumpReluBandwidth);
        if (auxK < 0 || auxK > dSae) throw new LacunaException("aux_k must be between 0 and d_sae = " + dSae + ", got " + auxK);
        if (deadTokens < 1) throw new LacunaException("dead_tokens must be >= 1, got " + deadTokens);
    }

    /** The architecture's registry entry. */
    public SaeKind kind() {
        return SaeArchitectures.named(architecture);
    }

    /** Defaults for an architecture: k, coefficients and windows as in the cited papers, scaled to normalised inputs. */
    public static SaeConfig defaults(String architecture, int dIn, int dSae, int k, String hook, String model) {
        SaeKind kind = SaeArchitectures.named(architecture);
        int auxK = Math.min(dSae, Math.max(1, dIn / 2)); // Gao et al. 2024, A.2: k_aux = d_model / 2
        return new SaeConfig(architecture, dIn, dSae, kind.usesK() ? k : 0, hook, model, 5.0, 1.0, 0.05,
                kind.aux() == SaeKind.Aux.AUX_K ? 1.0 / 32 : 0, auxK, kind.aux() == SaeKind.Aux.AUX_ZIPF ? 1.0 / 32 : 0, 200_000);
    }

    public SaeConfig withCoefficients(Double l1, Double l0) {
        return new SaeConfig(architecture, dIn, dSae, k, hookName, modelName, l1 == null ? l1Coefficient : l1, l0 == null ? l0Coefficient : l0,
                jumpReluBandwidth, auxKCoefficient, auxK, auxZipfCoefficient, deadTokens);
    }

    public SaeConfig withAux(double auxKCoef, double auxZipfCoef) {
        return new SaeConfig(architecture, dIn, dSae, k, hookName, modelName, l1Coefficient, l0Coefficient,
                jumpReluBandwidth, auxKCoef, auxK, auxZipfCoef, deadTokens);
    }

    /** The cfg.json object (training fields are added by the trainer). */
    public ObjectNode toJson() {
        ObjectNode j = new ObjectMapper().createObjectNode();
        j.put("architecture", architecture);
        j.put("d_in", dIn);
        j.put("d_sae", dSae);
        if (kind().usesK()) j.put("k", k);
        j.put("hook_name", hookName);
        j.put("model_name", modelName);
        j.put("dtype", "float32");
        j.put("device", "cpu");
        j.put("apply_b_dec_to_input", true);
        j.put("normalize_activations", "none");
        j.put("l1_coefficient", l1Coefficient);
        j.put("l0_coefficient", l0Coefficient);
        j.put("jumprelu_bandwidth", jumpReluBandwidth);
        j.put("aux_k_coefficient", auxKCoefficient);
        j.put("aux_k", auxK);
        j.put("aux_zipf_coefficient", auxZipfCoefficient);
        j.put("dead_tokens", deadTokens);
        return j;
    }

    public static SaeConfig fromJson(JsonNode j, String where) {
        for (String f : new String[] {"architecture", "d_in", "d_sae", "hook_name"}) {
            if (!j.hasNonNull(f)) throw new LacunaException(where + ": missing field '" + f + "'");
        }
        try {
            return new SaeConfig(j.get("architecture").asText(), j.get("d_in").asInt(), j.get("d_sae").asInt(), j.path("k").asInt(0),
                    j.get("hook_name").asText(), j.path("model_name").asText("default"), j.path("l1_coefficient").asDouble(5.0),
                    j.path("l0_coefficient").asDouble(1.0), j.path("jumprelu_bandwidth").asDouble(0.05), j.path("aux_k_coefficient").asDouble(0),
                    j.path("aux_k").asInt(0), j.path("aux_zipf_coefficient").asDouble(0), j.path("dead_tokens").asLong(200_000));
        } catch (LacunaException e) {
            throw new LacunaException(where + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s d_in=%d d_sae=%d k=%d hook=%s", architecture, dIn, dSae, k, hookName);
    }
}
