package dev.lacuna.kernel.internal;

/**
 * Picks the kernel implementation once, at class initialisation: the Vector API one when the
 * {@code jdk.incubator.vector} module is present (run with {@code --add-modules jdk.incubator.vector})
 * and its preferred species is at least 256 bits; otherwise, or when {@code -Dlacuna.scalar=true},
 * the scalar reference. Falling back for want of the module prints one line on stderr.
 */
public final class KernelProvider {
    private KernelProvider() {}

    /** The system property that forces the scalar kernels. */
    public static final String SCALAR_PROPERTY = "lacuna.scalar";

    private static final boolean FORCE_SCALAR = Boolean.getBoolean(SCALAR_PROPERTY);
    private static final Kernels INSTANCE = FORCE_SCALAR || VectorHolder.VECTOR == null ? ScalarKernels.INSTANCE : VectorHolder.VECTOR;

    /** Loads the Vector API implementation on first use only (never when the scalar one is forced). */
    private static final class VectorHolder {
        static final Kernels VECTOR = loadVector();
    }

    /** The implementation in use. */
    public static Kernels get() {
        return INSTANCE;
    }

    /** The scalar reference implementation. */
    public static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /** The Vector API implementation, or null where it is unavailable (regardless of {@code lacuna.scalar}). */
    public static Kernels vector() {
        return VectorHolder.VECTOR;
    }

    private static Kernels loadVector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            if (!FORCE_SCALAR) {
                System.err.println("lacuna: the Vector API module is missing (add --add-modules jdk.incubator.vector); using scalar kernels");
            }
            return null;
        }
        try {
            Kernels k = (Kernels) Class.forName("dev.lacuna.kernel.internal.VectorKernels").getConstructor().newInstance();
            int bits = Integer.parseInt(k.name().substring(k.name().indexOf('-') + 1));
            if (bits < 256) {
                if (!FORCE_SCALAR) {
                    System.err.println("lacuna: the Vector API prefers " + bits + "-bit vectors here, too narrow to pay; using scalar kernels");
                }
                return null;
            }
            return k;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            if (!FORCE_SCALAR) {
                System.err.println("lacuna: the Vector API kernels failed to load (" + e + "); using scalar kernels");
            }
            return null;
        }
    }
}
