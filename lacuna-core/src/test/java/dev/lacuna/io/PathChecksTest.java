// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import dev.lacuna.LacunaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PathChecksTest {
    @TempDir
    Path dir;

    @Test
    void anOutputDirectoryHoldingAnInputIsRefused() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        Path weights = Files.writeString(model.resolve("model.safetensors"), "w");
        LacunaException e = assertThrows(LacunaException.class, () -> PathChecks.refuseOutputOverInput(model, weights));
        assertEquals(model + " contains the input " + weights + ": choose another output", e.getMessage());
        Path link = Files.createSymbolicLink(dir.resolve("link"), model);
        assertThrows(LacunaException.class, () -> PathChecks.refuseOutputOverInput(link, model));
    }

    @Test
    void otherOutputsPass() throws IOException {
        Path in = Files.writeString(dir.resolve("in.txt"), "x");
        Path sibling = Files.writeString(dir.resolve("out.txt"), "y");
        assertDoesNotThrow(() -> PathChecks.refuseOutputOverInput(sibling, in, null, Path.of("-"), dir.resolve("absent")));
        assertDoesNotThrow(() -> PathChecks.refuseOutputOverInput(dir.resolve("new.txt"), in));
        assertDoesNotThrow(() -> PathChecks.refuseOutputOverInput(null, in));
    }
}
