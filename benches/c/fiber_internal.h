/* fiber_internal.h: what both fiber back ends share: the sizes and the shadow-stack pointer.
 *
 * Neither Asyncify nor WasmFX moves a C program's frames in linear memory (its shadow stack,
 * addressed by the global __stack_pointer): a suspended fiber's frames stay where they were.
 * So each fiber has a shadow stack of its own, allocated with its record, and fiber_resume
 * points __stack_pointer at it while the fiber runs and back at the resumer's afterwards. */
#ifndef WASMFX_BENCH_FIBER_INTERNAL_H
#define WASMFX_BENCH_FIBER_INTERNAL_H

#include <stdint.h>

/* Each fiber's shadow stack, in bytes. */
#define FIBER_STACK_SIZE 65536
/* Each fiber's Asyncify save buffer, in bytes: the paper's 4096. */
#define FIBER_ASYNCIFY_BUFFER 4096

/* The top of a shadow stack of FIBER_STACK_SIZE bytes at `base`, 16-byte aligned. */
static inline char *fiber_stack_top(char *base) {
    return (char *)((uintptr_t)(base + FIBER_STACK_SIZE) & ~(uintptr_t)15);
}

static inline char *fiber_get_sp(void) {
    char *sp;
    __asm__ volatile(".globaltype __stack_pointer, i32\n"
                     "global.get __stack_pointer\n"
                     "local.set %0\n"
                     : "=r"(sp));
    return sp;
}

static inline void fiber_set_sp(char *sp) {
    __asm__ volatile(".globaltype __stack_pointer, i32\n"
                     "local.get %0\n"
                     "global.set __stack_pointer\n"
                     :
                     : "r"(sp));
}

#endif
