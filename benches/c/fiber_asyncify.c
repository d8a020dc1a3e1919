/* fiber_asyncify.c: the fiber interface (fiber.h) on Binaryen's Asyncify, as the WasmFX
 * paper's baseline builds it.
 *
 * Build: clang -O3 --target=wasm32-wasi, then
 *   wasm-opt --asyncify --pass-arg=asyncify-ignore-imports -O2.
 *
 * A yield unwinds: every instrumented frame between fiber_yield and the fiber_resume that
 * ran the fiber saves its locals into the fiber's save buffer (FIBER_ASYNCIFY_BUFFER bytes,
 * the paper's 4096) and returns. fiber_resume stops the unwind. The next resume starts a
 * rewind and calls the entry again; each frame restores itself from the buffer and skips
 * back to the call it was in, down to fiber_yield, which stops the rewind and returns.
 *
 * Asyncify treats a function that calls asyncify_start_unwind as the top of the runtime and
 * one that calls asyncify_stop_unwind or asyncify_start_rewind as its bottom, and leaves both
 * uninstrumented: fiber_switch and fiber_resume here, which must not be inlined.
 *
 * Shadow stacks (fiber_internal.h): Asyncify saves Wasm locals only; C frames in linear
 * memory stay where they are, and an unwinding frame returns without restoring
 * __stack_pointer. So each fiber runs on a shadow stack of its own. */
#include <stdlib.h>

#include "fiber.h"
#include "fiber_internal.h"

__attribute__((import_module("asyncify"), import_name("start_unwind"))) void asyncify_start_unwind(void *data);
__attribute__((import_module("asyncify"), import_name("stop_unwind"))) void asyncify_stop_unwind(void);
__attribute__((import_module("asyncify"), import_name("start_rewind"))) void asyncify_start_rewind(void *data);
__attribute__((import_module("asyncify"), import_name("stop_rewind"))) void asyncify_stop_rewind(void);

enum state { FRESH, RUNNING, YIELDING, SUSPENDED, DONE };

struct fiber {
    /* Asyncify's data record: where the next frame goes, and the end of the buffer. */
    char *asyncify_next;
    char *asyncify_end;
    enum state state;
    fiber_entry_point_t entry;
    /* The value passing through a yield: the yielded one, then the resumer's. */
    void *value;
    /* The fiber's stack pointer while it is suspended. */
    char *sp;
    /* The shadow stack and then the save buffer follow the record. */
};

static fiber_t current;
static int rewinding;

fiber_t fiber_alloc(fiber_entry_point_t entry) {
    fiber_t f = malloc(sizeof(struct fiber) + FIBER_STACK_SIZE + FIBER_ASYNCIFY_BUFFER);
    if (!f) {
        return NULL;
    }
    char *stack = (char *)(f + 1);
    f->asyncify_next = stack + FIBER_STACK_SIZE;
    f->asyncify_end = f->asyncify_next + FIBER_ASYNCIFY_BUFFER;
    f->state = FRESH;
    f->entry = entry;
    f->value = NULL;
    /* The top of the stack, 16-byte aligned. */
    f->sp = fiber_stack_top(stack);
    return f;
}

void fiber_free(fiber_t f) {
    free(f);
}

/* Unwinds the running fiber, or, when the unwind is being replayed by a rewind, ends the
 * rewind: Asyncify leaves this function as it is (it starts an unwind). */
__attribute__((noinline)) static void fiber_switch(void) {
    if (rewinding) {
        rewinding = 0;
        asyncify_stop_rewind();
        return;
    }
    current->state = YIELDING;
    current->sp = fiber_get_sp();
    asyncify_start_unwind(current);
}

void *fiber_yield(void *arg) {
    fiber_t f = current;
    f->value = arg;
    fiber_switch();
    return f->value;
}

__attribute__((noinline)) void *fiber_resume(fiber_t f, void *arg, fiber_result_t *status) {
    if (f->state != FRESH && f->state != SUSPENDED) {
        *status = FIBER_ERROR;
        return NULL;
    }
    fiber_t resumer = current;
    char *resumer_sp = fiber_get_sp();
    current = f;
    fiber_set_sp(f->sp);
    void *entry_arg = arg;
    if (f->state == SUSPENDED) {
        f->value = arg;
        rewinding = 1;
        asyncify_start_rewind(f);
    }
    f->state = RUNNING;
    void *result = f->entry(entry_arg);
    fiber_set_sp(resumer_sp);
    current = resumer;
    if (f->state == YIELDING) {
        asyncify_stop_unwind();
        f->state = SUSPENDED;
        *status = FIBER_YIELD;
        return f->value;
    }
    f->state = DONE;
    *status = FIBER_OK;
    return result;
}
