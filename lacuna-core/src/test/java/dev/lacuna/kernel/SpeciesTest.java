// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.VectorPaths;
import dev.lacuna.kernel.internal.KernelProvider;
import dev.lacuna.kernel.internal.Species;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One place picks the vector species, so that -Dlacuna.vectorsize narrows every kernel. */
class SpeciesTest {
    private static final Pattern PICKS_A_SPECIES = Pattern.compile("SPECIES_|VectorSpecies\\.of|VectorShape\\.");

    @Test
    void onlySpeciesPicksASpecies() throws IOException {
        List<String> others = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.endsWith(Path.of("kernel/internal/Species.java"))) continue;
                if (PICKS_A_SPECIES.matcher(Files.readString(f)).find()) others.add(f.toString());
            }
        }
        assertEquals(List.of(), others, "take the species from kernel.internal.Species");
    }

    @Test
    @VectorPaths
    void theWidthAskedForIsUsed() {
        assertEquals(Species.FLOAT.length(), Species.INT.length(), "reinterpretAsInts of a FLOAT vector must fit INT");
        assertEquals("vector-" + Species.bits(), KernelProvider.vector().name());
        String asked = System.getProperty(Species.VECTOR_SIZE_PROPERTY);
        if (asked != null) assertEquals(Integer.parseInt(asked), Species.bits(), "-D" + Species.VECTOR_SIZE_PROPERTY + "=" + asked);
    }
}
