/* fiber_test.c: the fiber library's own tests, built like a benchmark for every back end
 * (cli/tests/bench.rs runs it on Asyncify, natively on WasmFX and lowered). Prints one line
 * per test; any failure prints what went wrong on stderr and exits with status 1. */
#include "bench.h"
#include "fiber.h"

static void expect(int ok, const char *what) {
    if (!ok) {
        bench_fail(what);
    }
}

/* A generator of arg, arg + 1, ..., arg + 2, then returns -1. */
static void *count3(void *arg) {
    intptr_t base = (intptr_t)arg;
    for (intptr_t i = 0; i < 3; i++) {
        fiber_yield((void *)(base + i));
    }
    return (void *)(intptr_t)-1;
}

/* Runs a count3 fiber of its own and yields each value times ten: nested fibers. */
static void *outer(void *arg) {
    fiber_t inner = fiber_alloc(count3);
    fiber_result_t status;
    void *v = fiber_resume(inner, arg, &status);
    while (status == FIBER_YIELD) {
        fiber_yield((void *)((intptr_t)v * 10));
        v = fiber_resume(inner, 0, &status);
    }
    expect(status == FIBER_OK && (intptr_t)v == -1, "nested: the inner fiber did not finish");
    fiber_free(inner);
    return (void *)(intptr_t)7;
}

static fiber_t self;

/* Resumes itself: the fiber is running, so that is an error. */
static void *resume_self(void *arg) {
    fiber_result_t status = FIBER_OK;
    void *v = fiber_resume(self, arg, &status);
    expect(status == FIBER_ERROR && v == NULL, "resuming a running fiber is not an error");
    return (void *)(intptr_t)1;
}

/* Keeps a buffer on its shadow stack across yields: each fiber's frames must stay its own. */
static void *stack_user(void *arg) {
    volatile int buffer[64];
    for (int i = 0; i < 64; i++) {
        buffer[i] = (int)(intptr_t)arg + i;
    }
    for (int round = 0; round < 3; round++) {
        fiber_yield(0);
    }
    int sum = 0;
    for (int i = 0; i < 64; i++) {
        sum += buffer[i] - i;
    }
    return (void *)(intptr_t)(sum / 64);
}

#define MANY 1000

int main(void) {
    fiber_result_t status;
    /* A generator; then resuming it once it finished is an error. */
    fiber_t g = fiber_alloc(count3);
    intptr_t sum = 0;
    void *v = fiber_resume(g, (void *)(intptr_t)5, &status);
    while (status == FIBER_YIELD) {
        sum += (intptr_t)v;
        v = fiber_resume(g, 0, &status);
    }
    expect(status == FIBER_OK && (intptr_t)v == -1 && sum == 18, "generator: wrong values");
    v = fiber_resume(g, 0, &status);
    expect(status == FIBER_ERROR && v == NULL, "resuming a finished fiber is not an error");
    fiber_free(g);
    bench_print(sum);

    /* Nested fibers: 10, 20, 30 from an outer fiber that resumes an inner one. */
    fiber_t o = fiber_alloc(outer);
    intptr_t seen = 0;
    v = fiber_resume(o, (void *)(intptr_t)1, &status);
    while (status == FIBER_YIELD) {
        seen = seen * 100 + (intptr_t)v;
        v = fiber_resume(o, 0, &status);
    }
    expect(status == FIBER_OK && (intptr_t)v == 7 && seen == 102030, "nested: wrong values");
    fiber_free(o);
    bench_print(seen);

    /* A fiber resuming itself. */
    self = fiber_alloc(resume_self);
    v = fiber_resume(self, 0, &status);
    expect(status == FIBER_OK && (intptr_t)v == 1, "resume_self did not finish");
    fiber_free(self);

    /* Many fibers alive at once, resumed round robin, each with frames on its own stack; a
     * suspended fiber freed and its record reused. */
    static fiber_t many[MANY];
    for (int i = 0; i < MANY; i++) {
        many[i] = fiber_alloc(stack_user);
        expect(many[i] != NULL, "out of memory");
        fiber_resume(many[i], (void *)(intptr_t)(i * 1000), &status);
        expect(status == FIBER_YIELD, "many: no first yield");
    }
    fiber_free(many[0]);
    many[0] = fiber_alloc(stack_user);
    fiber_resume(many[0], 0, &status);
    intptr_t total = 0;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < MANY; i++) {
            v = fiber_resume(many[i], 0, &status);
            expect(status == (round < 2 ? FIBER_YIELD : FIBER_OK), "many: wrong status");
            if (round == 2) {
                total += (intptr_t)v;
            }
        }
    }
    for (int i = 0; i < MANY; i++) {
        v = fiber_resume(many[i], 0, &status);
        expect(status == FIBER_ERROR, "many: a finished fiber resumed");
        fiber_free(many[i]);
    }
    /* Each returns its argument (i * 1000, and 0 for the reused record), read back from the
     * buffer on its shadow stack. */
    expect(total == 1000 * (MANY - 1) * MANY / 2, "many: a fiber's shadow stack changed");
    bench_print(total);
    return 0;
}
