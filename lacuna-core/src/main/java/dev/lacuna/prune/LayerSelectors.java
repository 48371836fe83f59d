// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code targets} / {@code ignore} selectors of a recipe step, as llm-compressor spells them:
 * {@code Linear} (every projection), an exact projection name, or {@code re:REGEX} matched from the
 * start of the name.
 */
final class LayerSelectors {
    private LayerSelectors() {}

    /**
     * The projections selected by {@code targets} less {@code ignore}, in the order of {@code names}.
     *
     * @throws LacunaException when an entry of {@code targets} matches nothing, or an exact name in
     *                         {@code ignore} is not a projection
     */
    static List<String> resolve(List<String> targets, List<String> ignore, Collection<String> names) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String t : targets) {
            List<String> hit = match(t, names);
            if (hit.isEmpty()) throw new LacunaException("targets match no layer: '" + t + "' (layers are named like " + names.stream().findFirst().orElse("?") + ")");
            chosen.addAll(hit);
        }
        for (String t : ignore) {
            List<String> hit = match(t, names);
            if (hit.isEmpty() && !t.startsWith("re:") && !t.equals("Linear")) throw new LacunaException("ignore names no layer: '" + t + "'");
            hit.forEach(chosen::remove);
        }
        List<String> out = new ArrayList<>();
        for (String n : names) if (chosen.contains(n)) out.add(n);
        return out;
    }

    private static List<String> match(String selector, Collection<String> names) {
        List<String> out = new ArrayList<>();
        if (selector.equals("Linear")) {
            out.addAll(names);
        } else if (selector.startsWith("re:")) {
            Pattern p = Pattern.compile(selector.substring(3));
            for (String n : names) if (p.matcher(n).lookingAt()) out.add(n);
        } else if (names.contains(selector)) {
            out.add(selector);
        }
        return out;
    }

    /** Refuses an empty selector or a regex that does not compile; {@code key} names the setting. */
    static void check(String key, String s) {
        if (s == null || s.isBlank()) throw new LacunaException(key + " has an empty entry");
        if (s.startsWith("re:")) {
            try {
                Pattern.compile(s.substring(3));
            } catch (PatternSyntaxException e) {
                throw new LacunaException(key + ": bad regex '" + s + "': " + e.getDescription());
            }
        }
    }
}
