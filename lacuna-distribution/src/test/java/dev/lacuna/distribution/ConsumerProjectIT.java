// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.distribution;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lacuna as a Maven dependency: the engine this build made is installed (as {@code mvn install} does:
 * jar, POM, sources and javadoc jars, and the parent POM) into a fresh local repository, and a tiny
 * project outside the source tree that names only {@code dev.lacuna:lacuna-core:VERSION} is compiled
 * against it by a separate Maven and run: it embeds a sentence.
 *
 * <p>The consumer's third-party artifacts come first from this machine's own local repository, read as a
 * file:// repository (never written), and only what it lacks from Maven Central, as a user's build would
 * fetch it: a consumer's dependency mediation picks versions the reactor never resolved (langchain4j's
 * own Jackson, say), so a file-only mirror failed on a fresh machine. {@code ~/.m2} is left as it was.
 */
class ConsumerProjectIT {
    static final String VERSION = System.getProperty("lacuna.version");
    static final Path ROOT = Path.of(System.getProperty("lacuna.root", "..")).toAbsolutePath().normalize();
    static final String INSTALL = "org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file";

    static String mvn() {
        String home = System.getProperty("maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) return Path.of(home, "bin", "mvn").toString();
        return "mvn";
    }

    static Path work, repo, settings;
    static Map<String, String> env;

    /** What `mvn install` puts in a local repository (jar, POM, sources, javadoc; the parent POM), from this build's artifacts. */
    @BeforeAll
    static void installIntoAFreshRepository() throws Exception {
        work = Files.createTempDirectory("lacuna-consumer-");
        repo = Files.createDirectories(work.resolve("repo"));
        Path cache = Path.of(System.getProperty("maven.local.repository", System.getProperty("user.home") + "/.m2/repository"));
        settings = Files.writeString(work.resolve("settings.xml"), """
                <settings>
                  <localRepository>%1$s</localRepository>
                  <profiles>
                    <profile>
                      <id>this-machine</id>
                      <repositories><repository><id>this-machine</id><url>%2$s</url></repository></repositories>
                      <pluginRepositories><pluginRepository><id>this-machine</id><url>%2$s</url></pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>this-machine</activeProfile></activeProfiles>
                </settings>
                """.formatted(repo, cache.toUri()));
        env = Map.of("JAVA_HOME", System.getProperty("java.home"));
        install(work, env, settings, "-Dfile=" + ROOT.resolve("pom.xml"), "-DpomFile=" + ROOT.resolve("pom.xml"), "-Dpackaging=pom");
        Path coreTarget = Path.of(System.getProperty("lacuna.core.jar")).getParent();
        installJars(ROOT.resolve("lacuna-core/pom.xml"), coreTarget.resolve("lacuna.jar"), coreTarget.resolve("lacuna-sources.jar"), coreTarget.resolve("lacuna-javadoc.jar"));
        Path lc = ROOT.resolve("lacuna-langchain4j"), lcTarget = lc.resolve(coreTarget.getFileName().toString());
        String stem = "lacuna-langchain4j-" + VERSION;
        installJars(lc.resolve("pom.xml"), lcTarget.resolve(stem + ".jar"), lcTarget.resolve(stem + "-sources.jar"), lcTarget.resolve(stem + "-javadoc.jar"));
        for (String a : new String[] {"lacuna-core", "lacuna-langchain4j"}) {
            String base = "dev/lacuna/" + a + "/" + VERSION + "/" + a + "-" + VERSION;
            for (String f : new String[] {".jar", ".pom", "-sources.jar", "-javadoc.jar"}) assertTrue(Files.isRegularFile(repo.resolve(base + f)), base + f);
        }
    }

    private static void installJars(Path pom, Path jar, Path sources, Path javadoc) throws Exception {
        for (Path p : new Path[] {jar, sources, javadoc}) assertTrue(Files.isRegularFile(p), p + " built");
        install(work, env, settings, "-Dfile=" + jar, "-DpomFile=" + pom, "-Dsources=" + sources, "-Djavadoc=" + javadoc);
    }

    /** Compiles the project in {@code app} with a separate Maven against the fresh repository; its class path. */
    private static String build(Path app) throws Exception {
        Path cp = app.resolve("cp.txt");
        Sh.Result build = Sh.run(app, env, null, 300, List.of(mvn(), "-B", "-q", "-s", settings.toString(), "compile",
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath", "-Dmdep.outputFile=" + cp));
        assertEquals(0, build.exit(), build.both());
        return app.resolve("target/classes") + ":" + Files.readString(cp).strip();
    }

    private static Sh.Result java(Path app, String classpath, String main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", classpath, main));
        cmd.addAll(List.of(args));
        return Sh.run(app, env, null, 180, cmd);
    }

    @Test
    void aMavenProjectDependsOnTheEngineAndEmbedsASentence() throws Exception {
        String base = "dev/lacuna/lacuna-core/" + VERSION + "/lacuna-core-" + VERSION;
        // the consumer: one dependency, one class
        Path app = Files.createDirectories(work.resolve("app"));
        Files.writeString(app.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>uses-lacuna</artifactId>
                  <version>1</version>
                  <properties><maven.compiler.release>25</maven.compiler.release><project.build.sourceEncoding>UTF-8</project.build.sourceEncoding></properties>
                  <dependencies>
                    <dependency><groupId>dev.lacuna</groupId><artifactId>lacuna-core</artifactId><version>%s</version></dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(VERSION));
        Path src = Files.createDirectories(app.resolve("src/main/java/example"));
        Files.writeString(src.resolve("App.java"), """
                package example;

                import dev.lacuna.concurrent.Parallel;
                import dev.lacuna.load.ModelLoader;
                import java.util.List;

                public class App {
                    public static void main(String[] args) {
                        var encoder = ModelLoader.load("default").encoder();
                        float[] v = encoder.embed(Parallel.serial(), List.of("A man is playing a guitar."), 1, null)[0];
                        double n = 0;
                        for (float x : v) n += x * x;
                        System.out.printf("dims=%d norm=%.4f%n", v.length, Math.sqrt(n));
                    }
                }
                """);
        String classpath = build(app);
        assertTrue(classpath.contains(repo.resolve(base + ".jar").toString()), "the engine from the fresh repository: " + classpath);
        Sh.Result run = java(app, classpath, "example.App");
        assertEquals(0, run.exit(), run.both());
        assertEquals("dims=384 norm=1.0000", run.out().strip());
    }

    /** docs/INTEGRATIONS.md's langchain4j example, its pom.xml and Rag.java taken from the page, built and run as it says. */
    @Test
    void theLangchain4jExampleInIntegrationsMdRunsAsWritten() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/INTEGRATIONS.md"));
        Path app = Files.createDirectories(work.resolve("rag"));
        Files.writeString(app.resolve("pom.xml"), block(doc, "A project with this `pom.xml`:", "```xml"));
        Path src = Files.createDirectories(app.resolve("src/main/java/example"));
        Files.writeString(src.resolve("Rag.java"), block(doc, "and this `src/main/java/example/Rag.java`:", "```java"));
        String commands = block(doc, "build it and run it", "```");
        assertTrue(commands.contains("mvn -q compile dependency:build-classpath -Dmdep.outputFile=cp.txt")
                && commands.contains("java --add-modules jdk.incubator.vector -cp \"target/classes:$(cat cp.txt)\" example.Rag"), commands);
        // the page's two commands, with this test's settings (the fresh repository) and JDK
        Sh.Result build = Sh.run(app, env, null, 300, List.of(mvn(), "-B", "-s", settings.toString(), "-q", "compile", "dependency:build-classpath", "-Dmdep.outputFile=cp.txt"));
        assertEquals(0, build.exit(), build.both());
        String classpath = "target/classes:" + Files.readString(app.resolve("cp.txt")).strip();
        assertTrue(classpath.contains(repo.resolve("dev/lacuna/lacuna-langchain4j").toString()), classpath);
        Sh.Result run = java(app, classpath, "example.Rag");
        assertEquals(0, run.exit(), run.both());
        assertEquals("The striker scored twice in the second half.", run.out().strip());
    }

    /** The first fenced block opening with {@code fence} after {@code marker} in {@code doc}. */
    static String block(String doc, String marker, String fence) {
        int m = doc.indexOf(marker);
        assertTrue(m >= 0, "docs/INTEGRATIONS.md lost: " + marker);
        int open = doc.indexOf(fence + "\n", m);
        int close = doc.indexOf("\n```", open + fence.length());
        return doc.substring(open + fence.length() + 1, close + 1);
    }

    private static void install(Path dir, Map<String, String> env, Path settings, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(mvn(), "-B", "-q", "-s", settings.toString(), INSTALL));
        cmd.addAll(List.of(args));
        Sh.Result r = Sh.run(dir, env, null, 300, cmd);
        assertEquals(0, r.exit(), r.both());
    }
}
