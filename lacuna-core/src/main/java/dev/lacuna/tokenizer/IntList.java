// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import java.util.Arrays;

/** A growable array of ints, to collect token ids without boxing. */
final class IntList {
    private int[] values;
    private int size;

    IntList(int capacity) {
        values = new int[Math.max(capacity, 4)];
    }

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int get(int index) {
        return values[index];
    }

    int size() {
        return size;
    }

    /** Drops every value from {@code newSize} on. */
    void truncate(int newSize) {
        size = newSize;
    }

    /** Copies the first {@code count} values into {@code dest} at {@code destPos}. */
    void copyTo(int count, int[] dest, int destPos) {
        System.arraycopy(values, 0, dest, destPos, count);
    }
}
