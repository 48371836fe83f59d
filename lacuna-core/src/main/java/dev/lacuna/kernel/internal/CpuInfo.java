// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the kernels know of the CPU they run on, for naming it in reports and keying probe caches. */
public final class CpuInfo {
    private CpuInfo() {}

    private static final String MODEL = readModel();

    /**
     * The CPU's model name with its family, model and widest vector extension from /proc/cpuinfo
     * (e.g. {@code AMD EPYC (family 25, model 1, avx2)}: cloud CPUs often report only the brand), else
     * the architecture.
     */
    public static String model() {
        return MODEL;
    }

    /** The {@code family N} of a name as {@link #model()} writes it, or -1 where it has none. */
    public static int family(String cpu) {
        return field(cpu, "family ");
    }

    /** The {@code model N} of a name as {@link #model()} writes it, or -1 where it has none. */
    public static int modelNumber(String cpu) {
        return field(cpu, "model ");
    }

    private static int field(String cpu, String key) {
        if (cpu == null) return -1;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + key + "(\\d+)").matcher(cpu);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String readModel() {
        String name = null, family = null, model = null, flags = "";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.isBlank()) {
                    if (name != null) break; // the first processor is enough
                    continue;
                }
                int c = line.indexOf(':');
                if (c < 0) continue;
                String key = line.substring(0, c).strip(), value = line.substring(c + 1).strip();
                switch (key) {
                    case "model name" -> name = name == null ? value : name;
                    case "cpu family" -> family = family == null ? value : family;
                    case "model" -> model = model == null ? value : model;
                    case "flags", "Features" -> flags = flags.isEmpty() ? " " + value + " " : flags;
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: fall through
        }
        if (name == null) return System.getProperty("os.arch", "unknown");
        String isa = flags.contains(" avx512f ") ? "avx512" : flags.contains(" avx2 ") ? "avx2" : flags.contains(" asimd ") ? "neon" : "";
        if (flags.contains(" amx_tile ")) isa += "+amx";
        StringBuilder sb = new StringBuilder(name);
        String sep = " (";
        if (family != null) { sb.append(sep).append("family ").append(family); sep = ", "; }
        if (model != null) { sb.append(sep).append("model ").append(model); sep = ", "; }
        if (!isa.isEmpty()) { sb.append(sep).append(isa); sep = ", "; }
        if (!sep.equals(" (")) sb.append(')');
        return sb.toString();
    }
}
