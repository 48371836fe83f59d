package dev.lacuna.attention;

/** Chooses the attention kernel for each layer and head. The default is dense everywhere. */
public interface AttentionPlan {
    AttentionKernel kernel(int layer, int head);

    static AttentionPlan dense() {
        AttentionKernel k = new DenseAttention();
        return (layer, head) -> k;
    }
}
