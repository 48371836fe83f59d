package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.lacuna.train.GradientCheck.checkAll;
import static dev.lacuna.train.GradientCheck.randn;
import static dev.lacuna.train.GradientCheck.toDouble;

class GeluOpTest {
    /** 37 values spread over [-6, 6], where GELU bends (and its derivative overshoots 1). */
    @Test
    void backwardMatchesFiniteDifferences() {
        int n = 37;
        Random rnd = new Random(3);
        float[] u = randn(rnd, n, 2.5), r = randn(rnd, n, 1), a = new float[n], du = new float[n];
        GeluOp.forward(Parallel.serial(), u, a, n);
        GeluOp.backward(Parallel.serial(), u, r, du, n);
        double[] ud = toDouble(u);
        checkAll("du", ud, du, () -> GradientCheck.dot(DoubleOps.gelu(ud), r));
    }
}
