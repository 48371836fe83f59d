package dev.lacuna.sparse;

/**
 * Picks the sparse kernels once: the Vector API ones when {@code jdk.incubator.vector} is present and
 * its preferred species is at least 256 bits, else the scalar reference (one line on stderr says
 * why). {@code -Dlacuna.scalar=true} forces the scalar reference, as for the dense kernels.
 */
final class SparseProductsProvider {
    private SparseProductsProvider() {}

    static final String SCALAR_PROPERTY = "lacuna.scalar";
    private static final boolean FORCE_SCALAR = Boolean.getBoolean(SCALAR_PROPERTY);

    static final SparseProducts INSTANCE = FORCE_SCALAR || vector() == null ? ScalarSparseProducts.INSTANCE : vector();

    private static final class VectorHolder {
        static final SparseProducts VECTOR = load();
    }

    static SparseProducts vector() {
        return VectorHolder.VECTOR;
    }

    private static SparseProducts load() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            if (!FORCE_SCALAR) System.err.println("lacuna: the Vector API module is missing (add --add-modules jdk.incubator.vector); using scalar sparse kernels");
            return null;
        }
        try {
            int bits = (Integer) Class.forName("dev.lacuna.sparse.VectorSparseProducts").getDeclaredMethod("vectorBits").invoke(null);
            if (bits < 256) {
                if (!FORCE_SCALAR) System.err.println("lacuna: the Vector API prefers " + bits + "-bit vectors here, too narrow to pay; using scalar sparse kernels");
                return null;
            }
            return VectorSparseProducts.INSTANCE;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            if (!FORCE_SCALAR) System.err.println("lacuna: the Vector API sparse kernels failed to load (" + e + "); using scalar sparse kernels");
            return null;
        }
    }
}
