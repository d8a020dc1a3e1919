/* state.bespoke.c: the state benchmark without fibers: count's loop over get and put as
 * calls that read and write the state directly (kept out of line, so the loop is not folded
 * into its result).
 *
 * Parameters and output as state.c. */
#include "bench.h"

static volatile int state;

__attribute__((noinline)) static int get(void) {
    return state;
}

__attribute__((noinline)) static void put(int value) {
    state = value;
}

static int count(int limit) {
    while (get() < limit) {
        put(get() + 1);
    }
    return get();
}

int main(int argc, char **argv) {
    int limit = (int)bench_arg(argc, argv, 1, 0, 2000000000, 10000000);
    int result = count(limit);
    if (result != limit) {
        bench_fail("state: wrong count");
    }
    bench_print(result);
    return 0;
}
