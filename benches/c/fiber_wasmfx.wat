;; fiber_wasmfx.wat: the fiber interface (fiber.h) on WasmFX's stack switching, Wasm half:
;; the continuations. fiber_wasmfx.c (the C half) imports these functions from module
;; `fiber`; `wasmfx-opt prog.wasm --link fiber@fiber_wasmfx.wat` links this module in and
;; binds its imports from `main` to the program's memory and function table.
;;
;; Each fiber has a slot in $conts holding its continuation while it is not running. A new
;; fiber's continuation is $trampoline (which calls the C entry point through the program's
;; function table) with the entry bound by `cont.bind`; the first resume's argument is the
;; entry's. cont_resume resumes a slot's continuation with a handler for $yield, and
;; cont_suspend suspends to it; the handler puts the rest of the fiber back in its slot.
(module
  (import "main" "memory" (memory 0))
  (import "main" "__indirect_function_table" (table $fns 0 funcref))

  (type $entry (func (param i32) (result i32)))
  (type $start (func (param i32 i32) (result i32)))
  (type $start_ct (cont $start))
  (type $fiber (func (param i32) (result i32)))
  (type $ct (cont $fiber))
  (tag $yield (param i32) (result i32))

  (table $conts 0 (ref null $ct))

  (func $trampoline (param $entry i32) (param $arg i32) (result i32)
    (call_indirect $fns (type $entry) (local.get $arg) (local.get $entry)))
  (elem declare func $trampoline)

  (func (export "cont_new") (param $slot i32) (param $entry i32)
    ;; Double the table (at least 16 slots) until the slot fits.
    (block $fits
      (loop $grow
        (br_if $fits (i32.lt_u (local.get $slot) (table.size $conts)))
        (if (i32.eq
              (table.grow $conts (ref.null $ct)
                (select (table.size $conts) (i32.const 16) (table.size $conts)))
              (i32.const -1))
          (then unreachable))
        (br $grow)))
    (table.set $conts (local.get $slot)
      (cont.bind $start_ct $ct (local.get $entry)
        (cont.new $start_ct (ref.func $trampoline)))))

  (func (export "cont_resume") (param $slot i32) (param $arg i32) (param $status i32) (result i32)
    (local $value i32) (local $rest (ref null $ct))
    (block $on_yield (result i32 (ref $ct))
      (local.set $value
        (resume $ct (on $yield $on_yield)
          (local.get $arg)
          (table.get $conts (local.get $slot))))
      ;; The fiber returned.
      (table.set $conts (local.get $slot) (ref.null $ct))
      (i32.store (local.get $status) (i32.const 0))
      (return (local.get $value)))
    (local.set $rest)
    (local.set $value)
    (table.set $conts (local.get $slot) (local.get $rest))
    (i32.store (local.get $status) (i32.const 1))
    (local.get $value))

  (func (export "cont_suspend") (param $arg i32) (result i32)
    (suspend $yield (local.get $arg)))

  (func (export "cont_drop") (param $slot i32)
    (table.set $conts (local.get $slot) (ref.null $ct)))
)
