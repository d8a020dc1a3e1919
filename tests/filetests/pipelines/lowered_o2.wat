;; RUN: wasmfx-opt --lower-to-asyncify -O2
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered == wasmfx-opt --lower-to-asyncify -O3 | lowered
;; RUN: native == wasmfx-opt --lower-to-asyncify -O1 | lowered == wasmfx-opt --lower-to-asyncify -Os | lowered == wasmfx-opt --lower-to-asyncify -Oz | lowered
;; A generator lowered and optimised: the guards and frame code the lowering writes, cleaned.
(module
  (type $f (func (result i32)))
  (type $c (cont $f))
  (tag $yield (param i32))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $gen (result i32) (local $i i32)
    loop $l
      local.get $i suspend $yield
      local.get $i i32.const 1 i32.add local.tee $i
      i32.const 5 i32.lt_u br_if $l
    end
    i32.const 100)
  (elem declare func $gen)
  (func $sum (export "sum") (result i32) (local $k (ref null $c)) (local $s i32)
    ref.func $gen cont.new $c local.set $k
    block $done
      loop $next
        block $on_yield (result i32 (ref $c))
          local.get $k resume $c (on $yield $on_yield)
          local.get $s i32.add local.set $s
          br $done
        end
        local.set $k
        local.get $s i32.add local.set $s
        br $next
      end
    end
    local.get $s)
  (func (export "_start") call $sum call $exit)
)
