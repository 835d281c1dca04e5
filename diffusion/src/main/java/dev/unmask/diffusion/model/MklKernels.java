package dev.unmask.diffusion.model;

/**
 * Whether MKL's CPU-vendor check is answered by the library {@code ./unmask} preloads on AMD CPUs
 * ({@code diffusion/src/main/native/mkl_intel_path.c}; {@code UNMASK_MKL_INTEL_PATH=0} turns it
 * off), so that benchmarks and logs say which GEMM kernels produced their numbers.
 */
public final class MklKernels {
    /** The file name ./unmask builds the library under. */
    static final String LIBRARY = "libunmask_mkl_intel_path.so";

    private MklKernels() {}

    public static boolean vendorCheckAnswered() {
        return preloaded(System.getenv("LD_PRELOAD"));
    }

    static boolean preloaded(String ldPreload) {
        if (ldPreload == null) {
            return false;
        }
        for (String entry : ldPreload.split("[: ]")) {
            if (entry.endsWith("/" + LIBRARY) || entry.equals(LIBRARY)) {
                return true;
            }
        }
        return false;
    }

    /** One phrase for a benchmark's header line. */
    public static String describe() {
        return vendorCheckAnswered() ? "MKL kernels by instruction set (vendor check answered)"
                : "MKL's own kernel choice";
    }
}
