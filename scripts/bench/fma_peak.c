/* The machine's fp32 FMA peak: per thread, N independent 8-wide FMA chains, 2 flops per lane.
 * Build: cc -O2 -mavx2 -mfma -fopenmp fma_peak.c. Chains start apart so that no compiler merges them; 12 chains plus
 * the two operands fit the 16 ymm registers (more spill to memory and measure the spills). */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#define CHAINS 12

int main(int argc, char **argv) {
    long iters = argc > 1 ? atol(argv[1]) : 100000000L;
    int threads = argc > 2 ? atoi(argv[2]) : omp_get_max_threads();
    double best = 0;
    for (int round = 0; round < 5; round++) {
        double t0 = omp_get_wtime();
        float sink = 0;
#pragma omp parallel num_threads(threads) reduction(+ : sink)
        {
            __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
            __m256 c[CHAINS];
            for (int k = 0; k < CHAINS; k++) c[k] = _mm256_set1_ps(1.0f + k * 0.001f + omp_get_thread_num());
            for (long i = 0; i < iters; i++) {
#pragma GCC unroll 12
                for (int k = 0; k < CHAINS; k++) c[k] = _mm256_fmadd_ps(c[k], a, b);
            }
            __m256 s = c[0];
            for (int k = 1; k < CHAINS; k++) s = _mm256_add_ps(s, c[k]);
            float out[8];
            _mm256_storeu_ps(out, s);
            sink += out[0] + out[7];
        }
        double t = omp_get_wtime() - t0;
        double gflops = 2.0 * 8 * CHAINS * (double) iters * threads / t / 1e9;
        if (gflops > best) best = gflops;
        printf("{\"bench\":\"fma_peak\",\"threads\":%d,\"chains\":%d,\"round\":%d,\"seconds\":%.3f,\"gflops_per_s\":%.1f,\"sink\":%g}\n",
               threads, CHAINS, round, t, gflops, sink);
    }
    printf("{\"bench\":\"fma_peak\",\"threads\":%d,\"chains\":%d,\"best_gflops_per_s\":%.1f}\n", threads, CHAINS, best);
    return 0;
}
