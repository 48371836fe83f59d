// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.LacunaException;

import java.util.Arrays;
import java.util.Map;

/**
 * Typed reading of one attention method's key=value parameters, as a method's factory and cost
 * model read them. Every error names the method and the parameter: "topk: k must be > 0, got 0".
 *
 * @param method the method's name, for messages
 * @param values every parameter of the method (defaults filled in)
 */
public record MethodParams(String method, Map<String, String> values) {
    /** The value as written; required. */
    public String text(String key) {
        String v = values.get(key);
        if (v == null) throw new LacunaException(method + ": parameter " + key + " is required");
        return v;
    }

    /** An integer in [min, max]. */
    public int integer(String key, int min, int max) {
        String v = text(key);
        long x;
        try {
            x = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new LacunaException(method + ": " + key + " must be an integer, got '" + v + "'");
        }
        if (x < min || x > max) {
            throw new LacunaException(method + ": " + key + " must be " + (max == Integer.MAX_VALUE ? ">= " + min
                    : "in [" + min + ", " + max + "]") + ", got " + v);
        }
        return (int) x;
    }

    /** An integer >= 0. */
    public int nonNegative(String key) {
        return integer(key, 0, Integer.MAX_VALUE);
    }

    /** An integer > 0. */
    public int positive(String key) {
        String v = text(key);
        try {
            if (Long.parseLong(v) <= 0) throw new LacunaException(method + ": " + key + " must be > 0, got " + v);
        } catch (NumberFormatException e) {
            throw new LacunaException(method + ": " + key + " must be an integer, got '" + v + "'");
        }
        return integer(key, 1, Integer.MAX_VALUE);
    }

    /** A tile or block size: a multiple of 32 in [32, 1024] (the flash engine's tiles). */
    public int blockSize(String key) {
        int b = integer(key, 32, 1024);
        if (b % 32 != 0) throw new LacunaException(method + ": " + key + " must be a multiple of 32, got " + b);
        return b;
    }

    /** The {@code tile} parameter of tiled methods. */
    public int tile() {
        return blockSize("tile");
    }

    /** The {@code causal} parameter every method takes. */
    public boolean causal() {
        return bool("causal");
    }

    /** A number in [min, max]. */
    public double number(String key, double min, double max) {
        String v = text(key);
        double x;
        try {
            x = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new LacunaException(method + ": " + key + " must be a number, got '" + v + "'");
        }
        if (!(x >= min && x <= max)) throw new LacunaException(method + ": " + key + " must be in [" + min + ", " + max + "], got " + v);
        return x;
    }

    /** A value in (0, 1]. */
    public double fraction(String key) {
        String v = text(key);
        double x;
        try {
            x = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new LacunaException(method + ": " + key + " must be a number in (0, 1], got '" + v + "'");
        }
        if (!(x > 0 && x <= 1)) throw new LacunaException(method + ": " + key + " must be in (0, 1], got " + v);
        return x;
    }

    /** 0 (off) or a value in (0, 1]. */
    public double optionalFraction(String key) {
        return text(key).equals("0") ? 0 : fraction(key);
    }

    /** true or false. */
    public boolean bool(String key) {
        String v = text(key);
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new LacunaException(method + ": " + key + " must be true or false, got '" + v + "'");
        };
    }

    /** A non-empty comma- or space-separated list of integers. */
    public int[] ints(String key) {
        String v = text(key);
        try {
            int[] a = Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
            if (a.length == 0) throw new LacunaException(method + ": " + key + " is empty");
            return a;
        } catch (NumberFormatException e) {
            throw new LacunaException(method + ": " + key + " must be a comma-separated list of integers, got '" + v + "'");
        }
    }

    /** {@link #ints} with no negative entry. */
    public int[] nonNegativeInts(String key) {
        int[] a = ints(key);
        for (int x : a) if (x < 0) throw new LacunaException(method + ": " + key + " must not be negative, got " + x);
        return a;
    }

    /** A square grid of 0/1 cells, rows separated by ';' (or '/'); "none" means not given. */
    public boolean[][] grid(String key) {
        String v = text(key);
        if (v.equals("none")) throw new LacunaException(method + ": parameter " + key + " is required (rows of 0/1 separated by ';')");
        String[] rows = v.split("[;/]");
        boolean[][] g = new boolean[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            String row = rows[r].strip();
            if (row.length() != rows.length) {
                throw new LacunaException(method + ": " + key + " must be square: row " + r + " has " + row.length() + " cells, expected " + rows.length);
            }
            g[r] = new boolean[row.length()];
            for (int c = 0; c < row.length(); c++) {
                char ch = row.charAt(c);
                if (ch != '0' && ch != '1') throw new LacunaException(method + ": " + key + " cells must be 0 or 1, got '" + ch + "'");
                g[r][c] = ch == '1';
            }
        }
        return g;
    }
}
