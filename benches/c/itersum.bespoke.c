/* itersum.bespoke.c: the itersum benchmark without fibers: the generator's loop calls the
 * consumer for each value (kept out of line, so the loop is not folded into its result).
 *
 * Parameters and output as itersum.c. */
#include "bench.h"

static uint32_t sum;

__attribute__((noinline)) static void consume(int value) {
    sum += (uint32_t)value;
}

int main(int argc, char **argv) {
    int n = (int)bench_arg(argc, argv, 1, 0, 2147483647, 100000000);
    for (int i = 0; i < n; i++) {
        consume(i);
    }
    if (sum != (uint32_t)((uint64_t)n * (uint64_t)(n - 1) / 2)) {
        bench_fail("itersum: wrong sum");
    }
    bench_print((int32_t)sum);
    return 0;
}
