package dev.lacuna.attention;

/**
 * The attention seam: computes out = softmax(q · kᵀ · scale) · v for one head of one sequence.
 *
 * <p>Sequences are packed without padding: q, k, v and out are [tokens, C] row-major with
 * C = heads x headDim, and a sequence occupies rows [start, start + length). Head h uses columns
 * [h * headDim, (h + 1) * headDim). A kernel writes exactly its head's columns of its rows.
 */
public interface AttentionKernel {
    /** A short name, e.g. {@code dense}. */
    String name();

    /**
     * @param q       [tokens, C] queries (rows of this sequence are read)
     * @param k       [tokens, C] keys
     * @param v       [tokens, C] values
     * @param out     [tokens, C] output, this head's columns of this sequence's rows are written
     * @param stride  C, the row stride of all four arrays
     * @param start   first row of the sequence
     * @param length  number of tokens of the sequence
     * @param col     first column of the head (h * headDim)
     * @param headDim D
     * @param scale   1 / sqrt(D)
     * @param scratch at least {@code scratchSize(length, headDim)} floats owned by the calling thread
     */
    void attend(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                int headDim, float scale, float[] scratch);

    /** Scratch floats needed by {@link #attend} for a sequence of {@code length} tokens. */
    int scratchSize(int length, int headDim);
}
