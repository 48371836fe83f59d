// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.TestData;
import dev.lacuna.eval.Stsb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Embedding all of STS-B dev with MiniLM in a fresh JVM, with the launcher's JVM options, stays under 1 GiB RSS. */
class PeakMemoryTest {
    @TempDir
    Path dir;

    @Test
    void embeddingStsbDevStaysUnderOneGiB() throws Exception {
        List<String> sentences = Stsb.sentences(Stsb.read(TestData.stsbDev()));
        Path in = dir.resolve("stsb.txt");
        Files.write(in, sentences);
        Path out = dir.resolve("out.jsonl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the same JVM options as ./lacuna
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-Xmx3g", "-Xss4m", "-cp", System.getProperty("java.class.path"), "dev.lacuna.cli.Main",
                "embed", "--input", in.toString(), "--output", out.toString(), "--threads", "2");
        pb.environment().put("LACUNA_REPORT_RSS", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), log);
        assertEquals(sentences.size(), Files.readAllLines(out).size());
        Matcher m = Pattern.compile("peak RSS (\\d+) MiB").matcher(log);
        assertTrue(m.find(), log);
        long mib = Long.parseLong(m.group(1));
        System.out.println("peak RSS embedding STS-B dev (" + sentences.size() + " sentences): " + mib + " MiB");
        assertTrue(mib > 100 && mib < 1024, "peak RSS " + mib + " MiB");
    }
}
