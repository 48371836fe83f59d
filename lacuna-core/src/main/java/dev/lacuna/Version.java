// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Lacuna's version, set once in pom.xml and read at run time from {@code lacuna-version.properties}
 * (filled in by Maven resource filtering), for {@code --version} and every file that records which
 * Lacuna wrote it.
 */
public final class Version {
    private Version() {}

    private static final Properties PROPS = load();
    private static final String VERSION = read();

    /**
     * The release this build is or leads to: pom.xml's version without {@code -SNAPSHOT}, so that a
     * development build of X.Y.Z writes {@code X.Y.Z} as the release will; {@code dev} where the
     * resource was not filtered (classes compiled outside Maven).
     */
    public static String get() {
        return VERSION;
    }

    /**
     * The git commit this build was made from (10 hex digits), with {@code -dirty} where the working
     * tree had uncommitted changes; {@code unknown} for a build outside a git checkout.
     */
    public static String commit() {
        String c = filled(PROPS.getProperty("commit"));
        if (c == null) return "unknown";
        return "true".equals(filled(PROPS.getProperty("dirty"))) ? c + "-dirty" : c;
    }

    /** {@code lacuna X.Y.Z (commit C) on Java V (vendor)}: what {@code lacuna --version} prints. */
    public static String describe() {
        return "lacuna " + get() + " (commit " + commit() + ") on Java " + System.getProperty("java.runtime.version", System.getProperty("java.version"))
                + " (" + System.getProperty("java.vendor", "unknown vendor") + ")";
    }

    private static String filled(String v) {
        return v == null || v.isBlank() || v.contains("${") ? null : v.strip();
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("lacuna-version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // no properties: "dev" and "unknown"
        }
        return p;
    }

    private static String read() {
        String v = filled(PROPS.getProperty("version"));
        if (v == null) return "dev";
        return v.endsWith("-SNAPSHOT") ? v.substring(0, v.length() - "-SNAPSHOT".length()) : v;
    }
}
