/* treesum.bespoke.c: the treesum benchmark without fibers: the same recursive walk adds
 * each leaf's value where the generator would yield it.
 *
 * Parameters and output as treesum.c. */
#include "bench.h"
#include "treesum.h"

static uint32_t sum;

static void walk(struct node *t) {
    if (t->is_leaf) {
        sum += (uint32_t)t->value;
        return;
    }
    walk(t->left);
    walk(t->right);
}

int main(int argc, char **argv) {
    int height = (int)bench_arg(argc, argv, 1, 0, 30, 25);
    walk(tree(height));
    treesum_check(height, sum);
    return 0;
}
