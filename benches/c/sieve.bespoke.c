/* sieve.bespoke.c: the sieve benchmark without fibers: the same candidates tested against
 * the same primes in the same order, by a division per filter instead of a round trip.
 *
 * Parameters and output as sieve.c. */
#include "bench.h"
#include "sieve_check.h"

int main(int argc, char **argv) {
    int n = (int)bench_arg(argc, argv, 1, 1, 100000, 8100);
    int *primes = malloc(sizeof(int) * (size_t)n);
    if (!primes) {
        bench_fail("error: out of memory");
    }
    int p = 0;
    for (int i = 2; p < n; i++) {
        int divisible = 0;
        for (int k = 0; k < p && !divisible; k++) {
            divisible = i % primes[k] == 0;
        }
        if (!divisible) {
            primes[p++] = i;
        }
    }
    sieve_check(primes, n);
    bench_print(primes[n - 1]);
    return 0;
}
