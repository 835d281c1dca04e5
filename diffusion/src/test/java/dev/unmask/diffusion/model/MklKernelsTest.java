package dev.unmask.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reading LD_PRELOAD for the library ./unmask preloads on AMD CPUs. */
class MklKernelsTest {
    @Test
    void theLibraryIsFoundAmongOthersAndNotByASimilarName() {
        assertFalse(MklKernels.preloaded(null));
        assertFalse(MklKernels.preloaded(""));
        assertTrue(MklKernels.preloaded("/repo/target/native/libunmask_mkl_intel_path.so"));
        assertTrue(MklKernels.preloaded("/lib/a.so:/repo/target/native/libunmask_mkl_intel_path.so"));
        assertTrue(MklKernels.preloaded("/lib/a.so /repo/target/native/libunmask_mkl_intel_path.so"));
        assertFalse(MklKernels.preloaded("/repo/target/native/libunmask_mkl_intel_path.so.12345"));
        assertFalse(MklKernels.preloaded("/lib/libother.so"));
    }
}
