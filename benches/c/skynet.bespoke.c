/* skynet.bespoke.c: the skynet benchmark without fibers: the same tree of calls, each
 * handle a direct call, each leaf returning its number.
 *
 * Parameters and output as skynet.c. */
#include "bench.h"

__attribute__((noinline)) static int64_t skynet(int level, int64_t num) {
    if (level == 0) {
        return num;
    }
    int64_t sum = 0;
    for (int64_t i = num * 10; i < num * 10 + 10; i++) {
        sum += skynet(level - 1, i);
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
