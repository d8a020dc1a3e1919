/* bench.h: what every C benchmark program shares: reading its size from argv, printing its
 * answer, and failing with a message. Output goes through write(2) rather than stdio, so the
 * modules carry no printf and their sizes are the programs'. */
#ifndef WASMFX_BENCH_BENCH_H
#define WASMFX_BENCH_BENCH_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Prints `message` and a newline on stderr and exits with status 1. */
static void bench_fail(const char *message) {
    write(2, message, strlen(message));
    write(2, "\n", 1);
    exit(1);
}

/* argv[index] as a decimal number in min..=max, or `fallback` when there are not that many
 * arguments; anything else exits with a usage error. */
static int64_t bench_arg(int argc, char **argv, int index, int64_t min, int64_t max, int64_t fallback) {
    if (index >= argc) {
        return fallback;
    }
    const char *s = argv[index];
    int64_t n = 0;
    if (*s == 0) {
        bench_fail("error: the argument is not a decimal number");
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            bench_fail("error: the argument is not a decimal number");
        }
        n = n * 10 + (*s - '0');
        if (n > max) {
            bench_fail("error: the argument is out of range");
        }
    }
    if (n < min) {
        bench_fail("error: the argument is out of range");
    }
    return n;
}

/* Prints `n` in signed decimal and a newline on stdout. */
static void bench_print(int64_t n) {
    char digits[24];
    char *p = digits + sizeof digits;
    uint64_t u = n < 0 ? -(uint64_t)n : (uint64_t)n;
    *--p = '\n';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (n < 0) {
        *--p = '-';
    }
    write(1, p, (size_t)(digits + sizeof digits - p));
}

/* Resumes `f` with `arg` and returns the result, failing unless the resume ended as
 * `expected` (FIBER_YIELD or FIBER_OK). */
#define BENCH_RESUME(f, arg, expected)                                                         \
    ({                                                                                         \
        fiber_result_t bench_status_;                                                          \
        void *bench_value_ = fiber_resume((f), (void *)(intptr_t)(arg), &bench_status_);       \
        if (bench_status_ != (expected)) {                                                     \
            bench_fail("error: a fiber ended unexpectedly");                                   \
        }                                                                                      \
        bench_value_;                                                                          \
    })

#endif
