/* sieve_check.h: checks a sieve's answer: primes[0..n) must be exactly the first n primes. */
#ifndef WASMFX_BENCH_SIEVE_CHECK_H
#define WASMFX_BENCH_SIEVE_CHECK_H

#include "bench.h"

static int is_prime(int x) {
    if (x < 2) {
        return 0;
    }
    for (int d = 2; d * d <= x; d++) {
        if (x % d == 0) {
            return 0;
        }
    }
    return 1;
}

static void sieve_check(const int *primes, int n) {
    int next = 0;
    for (int x = 2; next < n; x++) {
        if (is_prime(x)) {
            if (primes[next] != x) {
                bench_fail("sieve: wrong primes");
            }
            next++;
        }
    }
}

#endif
