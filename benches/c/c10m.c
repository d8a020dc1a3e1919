/* c10m.c: the c10m benchmark on fibers: many short-lived fibers, many alive at once.
 *
 * A worker yields once, then reads one byte per 4 KiB page of the `kb` kilobytes below a
 * local of its own frame (its own shadow stack, so kb = 32 touches 8 pages) and returns 1.
 * The driver keeps `alive` workers in a sliding window: for each of `connections`
 * connections it resumes worker i % alive twice (to its yield, then to its end), frees it and
 * allocates a new one in its place; at the end it finishes the `alive` still open.
 *
 * Parameters: argv[1] = connections (default 10,000,000), argv[2] = alive (default 10,000).
 * Output: the sum of the workers' results, connections + alive (checked). */
#include "bench.h"
#include "fiber.h"

#define KB 32

static void *worker(void *arg) {
    int kb = (int)(intptr_t)fiber_yield(arg);
    volatile char local = 0;
    volatile char *p = &local;
    int pages = (kb * 1024 + 4095) / 4096;
    for (int i = 0; i < pages; i++) {
        (void)p[-(intptr_t)i * 4096];
    }
    return (void *)1;
}

static fiber_t spawn(void) {
    fiber_t f = fiber_alloc(worker);
    if (!f) {
        bench_fail("error: out of memory");
    }
    return f;
}

int main(int argc, char **argv) {
    int64_t connections = bench_arg(argc, argv, 1, 0, 2000000000, 10000000);
    int64_t alive = bench_arg(argc, argv, 2, 1, 50000, 10000);
    fiber_t *workers = malloc(sizeof(fiber_t) * (size_t)alive);
    if (!workers) {
        bench_fail("error: out of memory");
    }
    for (int64_t j = 0; j < alive; j++) {
        workers[j] = spawn();
    }
    int64_t count = 0;
    for (int64_t i = 0; i < connections; i++) {
        int64_t j = i % alive;
        BENCH_RESUME(workers[j], KB, FIBER_YIELD);
        count += (intptr_t)BENCH_RESUME(workers[j], KB, FIBER_OK);
        fiber_free(workers[j]);
        workers[j] = spawn();
    }
    for (int64_t j = 0; j < alive; j++) {
        BENCH_RESUME(workers[j], KB, FIBER_YIELD);
        count += (intptr_t)BENCH_RESUME(workers[j], KB, FIBER_OK);
        fiber_free(workers[j]);
    }
    if (count != connections + alive) {
        bench_fail("c10m: wrong count");
    }
    bench_print(count);
    return 0;
}
