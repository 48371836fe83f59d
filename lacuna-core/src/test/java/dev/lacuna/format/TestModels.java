// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/** The real model files from the test class path, extracted once to target/test-models. */
final class TestModels {
    static final String MINILM = "all-minilm-l6-v2.onnx";
    static final String MINILM_Q = "all-minilm-l6-v2-q.onnx";
    static final String BGE_Q = "bge-small-en-v1.5-q.onnx";

    private static final Map<String, Path> CACHE = new HashMap<>();
    private static final Map<String, BertCheckpoint> IMPORTED = new HashMap<>();

    private TestModels() {
    }

    /**
     * Creates {@code java.io.tmpdir} (the build points it at target/tmp, which nothing else creates),
     * so that {@code @TempDir} works. Test classes with {@code @TempDir} fields call this from a static
     * initializer, which runs before the directory is injected.
     */
    static void ensureTmpDir() {
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized Path path(String resource) {
        Path cached = CACHE.get(resource);
        if (cached != null) return cached;
        URL url = TestModels.class.getClassLoader().getResource(resource);
        if (url == null) throw new IllegalStateException("test resource " + resource + " is not on the class path");
        try {
            Path p;
            if (url.getProtocol().equals("file")) {
                p = Path.of(url.toURI());
            } else {
                Path dir = Files.createDirectories(Path.of("target", "test-models"));
                p = dir.resolve(resource);
                URLConnection conn = url.openConnection();
                long size = conn.getContentLengthLong();
                if (!Files.isRegularFile(p) || Files.size(p) != size) {
                    Path tmp = Files.createTempFile(dir, resource, ".part");
                    try (InputStream in = conn.getInputStream()) {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            CACHE.put(resource, p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The imported checkpoint of a real model, shared across tests (the objects are not modified). */
    static synchronized BertCheckpoint imported(String resource) {
        return IMPORTED.computeIfAbsent(resource, r -> BertOnnxImporter.load(path(r)));
    }
}
