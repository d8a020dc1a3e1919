/* c10m.bespoke.c: the c10m benchmark without fibers: each connection's work is a direct
 * call on the one shadow stack (reading one byte per 4 KiB page of the 32 KiB below a
 * local), as many calls as c10m.c serves connections (connections + alive).
 *
 * Parameters and output as c10m.c. */
#include "bench.h"

#define KB 32

__attribute__((noinline)) static int worker(int kb) {
    volatile char local = 0;
    volatile char *p = &local;
    int pages = (kb * 1024 + 4095) / 4096;
    for (int i = 0; i < pages; i++) {
        (void)p[-(intptr_t)i * 4096];
    }
    return 1;
}

int main(int argc, char **argv) {
    int64_t connections = bench_arg(argc, argv, 1, 0, 2000000000, 10000000);
    int64_t alive = bench_arg(argc, argv, 2, 1, 50000, 10000);
    int64_t count = 0;
    for (int64_t i = 0; i < connections + alive; i++) {
        count += worker(KB);
    }
    if (count != connections + alive) {
        bench_fail("c10m: wrong count");
    }
    bench_print(count);
    return 0;
}
