/* treesum.c: the treesum benchmark on fibers: a generator fiber walks a binary tree of
 * height h (treesum.h) recursively and yields each leaf's value; the driver sums them.
 *
 * Parameters: argv[1] = h (0..30, default 25). Output: the int32-wrapped sum, h * 2^h
 * (838,860,800 for 25; checked). */
#include "bench.h"
#include "fiber.h"
#include "treesum.h"

static void walk(struct node *t) {
    if (t->is_leaf) {
        fiber_yield((void *)(intptr_t)t->value);
        return;
    }
    walk(t->left);
    walk(t->right);
}

static void *generate(void *arg) {
    walk(arg);
    return 0;
}

int main(int argc, char **argv) {
    int height = (int)bench_arg(argc, argv, 1, 0, 30, 25);
    fiber_t f = fiber_alloc(generate);
    if (!f) {
        bench_fail("error: out of memory");
    }
    uint32_t sum = 0;
    fiber_result_t status;
    void *value = fiber_resume(f, tree(height), &status);
    while (status == FIBER_YIELD) {
        sum += (uint32_t)(intptr_t)value;
        value = fiber_resume(f, 0, &status);
    }
    fiber_free(f);
    if (status != FIBER_OK) {
        bench_fail("error: a fiber ended unexpectedly");
    }
    treesum_check(height, sum);
    return 0;
}
