package dev.lacuna;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a main class in a fresh JVM on the test class path, for what is decided once per JVM (kernel choice, vector width). */
public final class ChildJvm {
    private ChildJvm() {}

    /** What the JVM printed; it must exit 0 within a minute. */
    public record Output(String out, String err) {
        /** The stderr lines that start with "lacuna:". */
        public List<String> lacunaLines() {
            return err.lines().filter(l -> l.startsWith("lacuna:")).toList();
        }
    }

    /**
     * @param jvmOptions e.g. {@code --add-modules=jdk.incubator.vector}, {@code -Dlacuna.scalar=true}
     * @param args       arguments of {@code main}
     */
    public static Output run(Class<?> main, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        return new Output(out, err);
    }
}
