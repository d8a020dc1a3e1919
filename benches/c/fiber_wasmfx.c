/* fiber_wasmfx.c: the fiber interface (fiber.h) on WasmFX's stack switching, C half.
 *
 * The continuations live in fiber_wasmfx.wat, which this file imports from module `fiber`
 * (fiber.cont_new, cont_resume, cont_suspend, cont_drop); `wasmfx-opt prog.wasm --link
 * fiber@fiber_wasmfx.wat` links the two into one module. This half keeps what C does best:
 * the fiber records, their states and their shadow stacks (fiber_internal.h).
 *
 * A record is recycled, never freed: fiber_free puts it on a free list and fiber_alloc takes
 * it from there first, so a record keeps its slot in the continuation table and its shadow
 * stack for life. */
#include <stdlib.h>

#include "fiber.h"
#include "fiber_internal.h"

#define WASMFX_IMPORT(name) __attribute__((import_module("fiber"), import_name(#name)))

/* Puts a new continuation running `entry` into slot `slot` of the continuation table. */
WASMFX_IMPORT(cont_new) void fiber_cont_new(uint32_t slot, fiber_entry_point_t entry);
/* Resumes the continuation in `slot` with `arg`; sets *status to FIBER_YIELD (the slot holds
 * the rest) or FIBER_OK (it returned; the slot is empty) and returns the value. */
WASMFX_IMPORT(cont_resume) void *fiber_cont_resume(uint32_t slot, void *arg, fiber_result_t *status);
/* Suspends the running continuation with `arg`; returns the next resume's argument. */
WASMFX_IMPORT(cont_suspend) void *fiber_cont_suspend(void *arg);
/* Empties slot `slot`. */
WASMFX_IMPORT(cont_drop) void fiber_cont_drop(uint32_t slot);

enum state { FRESH, RUNNING, SUSPENDED, DONE };

struct fiber {
    uint32_t slot;
    enum state state;
    /* The fiber's stack pointer while it is not running. */
    char *sp;
    struct fiber *next_free;
    /* The shadow stack follows the record. */
};

static fiber_t free_list;
static uint32_t slots_used;

fiber_t fiber_alloc(fiber_entry_point_t entry) {
    fiber_t f = free_list;
    if (f) {
        free_list = f->next_free;
    } else {
        f = malloc(sizeof(struct fiber) + FIBER_STACK_SIZE);
        if (!f) {
            return NULL;
        }
        f->slot = slots_used++;
    }
    f->state = FRESH;
    f->sp = fiber_stack_top((char *)(f + 1));
    fiber_cont_new(f->slot, entry);
    return f;
}

void fiber_free(fiber_t f) {
    fiber_cont_drop(f->slot);
    f->next_free = free_list;
    free_list = f;
}

void *fiber_resume(fiber_t f, void *arg, fiber_result_t *status) {
    if (f->state != FRESH && f->state != SUSPENDED) {
        *status = FIBER_ERROR;
        return NULL;
    }
    char *resumer_sp = fiber_get_sp();
    fiber_set_sp(f->sp);
    f->state = RUNNING;
    void *value = fiber_cont_resume(f->slot, arg, status);
    if (*status == FIBER_YIELD) {
        f->sp = fiber_get_sp();
        f->state = SUSPENDED;
    } else {
        f->state = DONE;
    }
    fiber_set_sp(resumer_sp);
    return value;
}

void *fiber_yield(void *arg) {
    return fiber_cont_suspend(arg);
}
