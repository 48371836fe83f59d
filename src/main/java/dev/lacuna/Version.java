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

    private static final String VERSION = read();

    /**
     * The release this build is or leads to: pom.xml's version without {@code -SNAPSHOT}, so that a
     * development build of X.Y.Z writes {@code X.Y.Z} as the release will; {@code dev} where the
     * resource was not filtered (classes compiled outside Maven).
     */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("lacuna-version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            return "dev";
        }
        String v = p.getProperty("version", "");
        if (v.isBlank() || v.contains("${")) return "dev";
        return v.endsWith("-SNAPSHOT") ? v.substring(0, v.length() - "-SNAPSHOT".length()) : v;
    }
}
