/*
 * Preloaded by ./unmask on AMD CPUs (UNMASK_MKL_INTEL_PATH=0 turns it off).
 *
 * DJL's libtorch links Intel MKL statically, and MKL chooses its GEMM kernels by CPU vendor before
 * it looks at the instructions: on an AMD CPU it runs a generic path although the CPU has every
 * instruction of the AVX2/FMA one. libtorch_cpu.so calls MKL's vendor check through its PLT, so
 * this definition, loaded first, answers it; MKL then dispatches on the CPU's features alone (it
 * still reads them with CPUID, so no instruction the CPU lacks is chosen). Results are the same
 * GEMM to rounding; the encoder's forward pass ran 1.2-1.4x faster on this project's AMD EPYC
 * machines (BENCHMARKS.md, "MKL's kernels on AMD").
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}
