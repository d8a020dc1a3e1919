/* fiber.h: the fiber interface the WasmFX paper's C benchmarks are written against.
 *
 * A fiber runs an entry function on a stack of its own. fiber_resume runs it until it
 * yields or returns; fiber_yield, called from inside a fiber, returns control to the
 * fiber_resume that ran it. Fibers nest: a fiber may resume others. Two back ends implement
 * this interface: fiber_asyncify.c (Binaryen's Asyncify) and fiber_wasmfx.c with
 * fiber_wasmfx.wat (the stack-switching instructions). */
#ifndef WASMFX_BENCH_FIBER_H
#define WASMFX_BENCH_FIBER_H

/* A fiber's handle. */
typedef struct fiber *fiber_t;

/* What a fiber runs: it receives the argument of the first fiber_resume. */
typedef void *(*fiber_entry_point_t)(void *);

/* How a fiber_resume ended. */
typedef enum {
    FIBER_OK = 0,    /* the entry returned; the result is its return value */
    FIBER_YIELD = 1, /* the fiber yielded; the result is fiber_yield's argument */
    FIBER_ERROR = 2  /* the fiber had already finished (or is running); nothing ran */
} fiber_result_t;

/* A new fiber that will run `entry`; NULL when out of memory. */
fiber_t fiber_alloc(fiber_entry_point_t entry);
/* Frees a fiber that is not running (finished, suspended or never started). */
void fiber_free(fiber_t fiber);
/* Runs `fiber` until it yields or returns. The first resume's `arg` is the entry's
 * argument; a later one's is what the fiber's pending fiber_yield returns. */
void *fiber_resume(fiber_t fiber, void *arg, fiber_result_t *status);
/* From inside a fiber: passes `arg` to the fiber_resume that ran it, and waits to be
 * resumed; returns the next fiber_resume's argument. */
void *fiber_yield(void *arg);

#endif
