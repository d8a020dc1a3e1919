/* state.c: the state benchmark on fibers: a state effect counting up to a limit.
 *
 * count(limit) runs `while (get() < limit) put(get() + 1); return get();` in a fiber, where
 * get and put yield a request to the handler (STATE_GET, or the new state for a put); the
 * handler answers a get with the state and stores a put's value.
 *
 * Parameters: argv[1] = limit (default 10,000,000). Output: the final state, the limit
 * (checked). */
#include "bench.h"
#include "fiber.h"

#define STATE_GET (-1)

static int get(void) {
    return (int)(intptr_t)fiber_yield((void *)(intptr_t)STATE_GET);
}

static void put(int value) {
    fiber_yield((void *)(intptr_t)value);
}

static void *count(void *arg) {
    int limit = (int)(intptr_t)arg;
    while (get() < limit) {
        put(get() + 1);
    }
    return (void *)(intptr_t)get();
}

static int handle_count(int init, int limit) {
    int state = init;
    fiber_t f = fiber_alloc(count);
    if (!f) {
        bench_fail("error: out of memory");
    }
    fiber_result_t status;
    int request = (int)(intptr_t)fiber_resume(f, (void *)(intptr_t)limit, &status);
    while (status == FIBER_YIELD) {
        int answer = 0;
        if (request == STATE_GET) {
            answer = state;
        } else {
            state = request;
        }
        request = (int)(intptr_t)fiber_resume(f, (void *)(intptr_t)answer, &status);
    }
    if (status != FIBER_OK || request != state) {
        bench_fail("error: a fiber ended unexpectedly");
    }
    fiber_free(f);
    return state;
}

int main(int argc, char **argv) {
    int limit = (int)bench_arg(argc, argv, 1, 0, 2000000000, 10000000);
    int result = handle_count(0, limit);
    if (result != limit) {
        bench_fail("state: wrong count");
    }
    bench_print(result);
    return 0;
}
