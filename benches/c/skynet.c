/* skynet.c: the skynet benchmark on fibers: a tree of nested fibers, a million leaves.
 *
 * skynet(level, num) at level 0 yields num and returns; above, it returns the sum of
 * handle(level - 1, i) for i in num*10 .. num*10+9. handle runs skynet in a new fiber: if it
 * yields (a leaf), the yielded number is the result and the fiber is resumed once more to
 * finish; otherwise its return value is. main calls skynet(levels, 0) directly.
 *
 * Parameters: argv[1] = levels (1..6, default 6). Output: the sum of 0 .. 10^levels - 1
 * (499,999,500,000 for 6; checked). */
#include "bench.h"
#include "fiber.h"

struct job {
    int level;
    int64_t num;
    int64_t result;
};

static int64_t skynet(int level, int64_t num);

static void *run_job(void *arg) {
    struct job *job = arg;
    job->result = skynet(job->level, job->num);
    return 0;
}

static int64_t handle(int level, int64_t num) {
    struct job job = {level, num, 0};
    fiber_t f = fiber_alloc(run_job);
    if (!f) {
        bench_fail("error: out of memory");
    }
    fiber_result_t status;
    void *value = fiber_resume(f, &job, &status);
    int64_t result = job.result;
    if (status == FIBER_YIELD) {
        result = (intptr_t)value;
        BENCH_RESUME(f, 0, FIBER_OK);
    } else if (status != FIBER_OK) {
        bench_fail("error: a fiber ended unexpectedly");
    }
    fiber_free(f);
    return result;
}

static int64_t skynet(int level, int64_t num) {
    if (level == 0) {
        fiber_yield((void *)(intptr_t)num);
        return num;
    }
    int64_t sum = 0;
    for (int64_t i = num * 10; i < num * 10 + 10; i++) {
        sum += handle(level - 1, i);
    }
    return sum;
}

int main(int argc, char **argv) {
    int levels = (int)bench_arg(argc, argv, 1, 1, 6, 6);
    int64_t leaves = 1;
    for (int i = 0; i < levels; i++) {
        leaves *= 10;
    }
    int64_t sum = skynet(levels, 0);
    if (sum != leaves * (leaves - 1) / 2) {
        bench_fail("skynet: wrong sum");
    }
    bench_print(sum);
    return 0;
}
