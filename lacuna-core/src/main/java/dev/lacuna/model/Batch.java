// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.model;

/**
 * Token ids of several sequences packed back to back without padding.
 *
 * @param ids       [tokens] ids of all sequences, concatenated
 * @param seqStarts [B + 1] where sequence s occupies ids[seqStarts[s], seqStarts[s + 1])
 */
public record Batch(int[] ids, int[] seqStarts) {
    public Batch {
        if (seqStarts.length < 1 || seqStarts[0] != 0 || seqStarts[seqStarts.length - 1] != ids.length) {
            throw new IllegalArgumentException("seqStarts must run from 0 to " + ids.length);
        }
        for (int i = 1; i < seqStarts.length; i++) {
            if (seqStarts[i] <= seqStarts[i - 1]) throw new IllegalArgumentException("sequence " + (i - 1) + " is empty");
        }
    }

    public static Batch of(int[]... sequences) {
        int total = 0;
        for (int[] s : sequences) total += s.length;
        int[] ids = new int[total];
        int[] starts = new int[sequences.length + 1];
        int p = 0;
        for (int i = 0; i < sequences.length; i++) {
            System.arraycopy(sequences[i], 0, ids, p, sequences[i].length);
            p += sequences[i].length;
            starts[i + 1] = p;
        }
        return new Batch(ids, starts);
    }

    public int sequences() {
        return seqStarts.length - 1;
    }

    public int tokens() {
        return ids.length;
    }

    public int length(int s) {
        return seqStarts[s + 1] - seqStarts[s];
    }

    public int maxLength() {
        int m = 0;
        for (int s = 0; s < sequences(); s++) m = Math.max(m, length(s));
        return m;
    }
}
