/* treesum.h: the tree both treesum programs walk: height h, every fork's two children one
 * shared subtree (so it takes h + 1 nodes), every leaf holding h; a walk visits 2^h leaves,
 * and their sum is h * 2^h (mod 2^32). */
#ifndef WASMFX_BENCH_TREESUM_H
#define WASMFX_BENCH_TREESUM_H

#include "bench.h"

struct node {
    int is_leaf;
    int value;
    struct node *left;
    struct node *right;
};

static struct node *tree(int height) {
    struct node *t = malloc(sizeof *t);
    if (!t) {
        bench_fail("error: out of memory");
    }
    t->is_leaf = 1;
    t->value = height;
    t->left = t->right = NULL;
    for (int d = 0; d < height; d++) {
        struct node *fork = malloc(sizeof *fork);
        if (!fork) {
            bench_fail("error: out of memory");
        }
        fork->is_leaf = 0;
        fork->value = 0;
        fork->left = fork->right = t;
        t = fork;
    }
    return t;
}

static void treesum_check(int height, uint32_t sum) {
    if (sum != (uint32_t)height * ((uint32_t)1 << height)) {
        bench_fail("treesum: wrong sum");
    }
    bench_print((int32_t)sum);
}

#endif
