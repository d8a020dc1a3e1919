/* sieve.c: the sieve benchmark on fibers: a pipeline of filter fibers, one per prime.
 *
 * The driver sends each candidate 2, 3, ... to the filters in order and stops at the first
 * that answers "divisible"; a candidate no filter divides is the next prime, and gets a
 * filter of its own. A filter yields at once when spawned, then answers each candidate it
 * receives with whether its prime divides it, until it receives 0.
 *
 * Parameters: argv[1] = N primes (default 8,100). Output: the N-th prime (82,891 for 8,100);
 * every prime found is checked by trial division. */
#include "bench.h"
#include "fiber.h"
#include "sieve_check.h"

static void *filter(void *arg) {
    int prime = (int)(intptr_t)arg;
    int candidate = (int)(intptr_t)fiber_yield(0);
    while (candidate != 0) {
        candidate = (int)(intptr_t)fiber_yield((void *)(intptr_t)(candidate % prime == 0));
    }
    return 0;
}

int main(int argc, char **argv) {
    int n = (int)bench_arg(argc, argv, 1, 1, 100000, 8100);
    int *primes = malloc(sizeof(int) * (size_t)n);
    fiber_t *filters = NULL;
    int capacity = 0;
    if (!primes) {
        bench_fail("error: out of memory");
    }
    int p = 0;
    for (int i = 2; p < n; i++) {
        int divisible = 0;
        for (int k = 0; k < p && !divisible; k++) {
            divisible = (int)(intptr_t)BENCH_RESUME(filters[k], i, FIBER_YIELD);
        }
        if (divisible) {
            continue;
        }
        if (p == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            filters = realloc(filters, sizeof(fiber_t) * (size_t)capacity);
            if (!filters) {
                bench_fail("error: out of memory");
            }
        }
        filters[p] = fiber_alloc(filter);
        if (!filters[p]) {
            bench_fail("error: out of memory");
        }
        BENCH_RESUME(filters[p], i, FIBER_YIELD);
        primes[p++] = i;
    }
    for (int k = 0; k < p; k++) {
        BENCH_RESUME(filters[k], 0, FIBER_OK);
        fiber_free(filters[k]);
    }
    sieve_check(primes, n);
    bench_print(primes[n - 1]);
    return 0;
}
