// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package of a Java source tree uses which, read from the sources: every {@code import} and
 * every fully qualified name in code or javadoc ({@code dev.lacuna.x.Y}). A javadoc link is a
 * reading dependency too: a newcomer follows it. Packages outside the tree are ignored.
 */
final class PackageGraph {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;");
    private static final Pattern QUALIFIED = Pattern.compile("\\b((?:[a-z_]\\w*\\.)+)[A-Z]\\w*");

    /** package -> packages of the tree it uses (itself excluded), and the files that use each. */
    final Map<String, Map<String, Set<String>>> uses = new TreeMap<>();

    private PackageGraph() {}

    /** Reads every {@code .java} file under {@code root}. */
    static PackageGraph read(Path root) {
        Map<String, String> text = new HashMap<>();
        Map<String, String> packageOf = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String s = Files.readString(f, StandardCharsets.UTF_8);
                Matcher m = PACKAGE.matcher(s);
                if (!m.find()) continue;
                String name = root.relativize(f).toString();
                text.put(name, s);
                packageOf.put(name, m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PackageGraph g = new PackageGraph();
        Set<String> packages = new TreeSet<>(packageOf.values());
        for (String p : packages) g.uses.put(p, new TreeMap<>());
        for (var e : text.entrySet()) {
            String file = e.getKey(), self = packageOf.get(file), s = e.getValue();
            List<String> targets = new ArrayList<>();
            Matcher im = IMPORT.matcher(s);
            while (im.find()) targets.add(packageOfName(im.group(1)));
            String body = PACKAGE.matcher(IMPORT.matcher(s).replaceAll("")).replaceAll("");
            Matcher q = QUALIFIED.matcher(body);
            while (q.find()) targets.add(q.group(1).substring(0, q.group(1).length() - 1));
            for (String t : targets) {
                if (t.equals(self) || !packages.contains(t)) continue;
                g.uses.get(self).computeIfAbsent(t, k -> new TreeSet<>()).add(file);
            }
        }
        return g;
    }

    /** The package of {@code a.b.C}, {@code a.b.C.member} or {@code a.b.*}: its leading lower-case parts. */
    private static String packageOfName(String name) {
        StringBuilder b = new StringBuilder();
        for (String part : name.split("\\.")) {
            if (part.equals("*") || Character.isUpperCase(part.charAt(0))) break;
            if (!b.isEmpty()) b.append('.');
            b.append(part);
        }
        return b.toString();
    }

    /** Strongly connected components of more than one package (Tarjan), each sorted. */
    List<List<String>> cycles() {
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] next = {0};
        for (String v : uses.keySet()) if (!index.containsKey(v)) connect(v, index, low, stack, onStack, out, next);
        return out;
    }

    private void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                         Set<String> onStack, List<List<String>> out, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : uses.get(v).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, out, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> c = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                c.add(w);
            } while (!w.equals(v));
            if (c.size() > 1) {
                c.sort(null);
                out.add(c);
            }
        }
    }
}
