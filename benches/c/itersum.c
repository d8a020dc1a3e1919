/* itersum.c: the itersum benchmark on fibers: a generator fiber yields 0, 1, ..., N-1 to a
 * loop that sums them with 32-bit wrap-around.
 *
 * Parameters: argv[1] = N (default 100,000,000). Output: the int32-wrapped sum N(N-1)/2
 * (checked against the closed form). */
#include "bench.h"
#include "fiber.h"

static void *generate(void *arg) {
    int n = (int)(intptr_t)arg;
    for (int i = 0; i < n; i++) {
        fiber_yield((void *)(intptr_t)i);
    }
    return 0;
}

int main(int argc, char **argv) {
    int n = (int)bench_arg(argc, argv, 1, 0, 2147483647, 100000000);
    fiber_t f = fiber_alloc(generate);
    if (!f) {
        bench_fail("error: out of memory");
    }
    uint32_t sum = 0;
    fiber_result_t status;
    void *value = fiber_resume(f, (void *)(intptr_t)n, &status);
    while (status == FIBER_YIELD) {
        sum += (uint32_t)(intptr_t)value;
        value = fiber_resume(f, 0, &status);
    }
    fiber_free(f);
    if (status != FIBER_OK || sum != (uint32_t)((uint64_t)n * (uint64_t)(n - 1) / 2)) {
        bench_fail("itersum: wrong sum");
    }
    bench_print((int32_t)sum);
    return 0;
}
