;; A rec group that mixes GC and continuation types: a `$job` struct whose function field
;; takes a `$job`, the function type, and a continuation type over a function taking a
;; `$job`, all mutually referring; the continuation type leaves the group when lowered, and
;; the rest must keep validating (and `ref.test` on the group's types still works).
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (rec
    (type $run (func (param (ref $job))))
    (type $job (sub (struct (field $id i32) (field $code (ref $run)) (field $then (ref null $job)))))
    (type $c (cont $run))
    (type $urgent (sub final $job (struct (field $id i32) (field $code (ref $run)) (field $then (ref null $job))))))
  (type $fv (func))
  (type $cv (cont $fv))
  (tag $step (param (ref $job)))
  (elem declare func $work)
  (func $work (type $run) (param $j (ref $job))
    (local $cur (ref null $job))
    (local.set $cur (local.get $j))
    (loop $l
      (suspend $step (ref.as_non_null (local.get $cur)))
      (local.set $cur (struct.get $job $then (local.get $cur)))
      (br_if $l (i32.eqz (ref.is_null (local.get $cur))))))
  (func (export "_start")
    (local $jobs (ref $job))
    (local $k (ref null $cv))
    (local.set $jobs (struct.new $job (i32.const 1) (ref.func $work)
      (struct.new $urgent (i32.const 2) (ref.func $work)
        (struct.new $job (i32.const 3) (ref.func $work) (ref.null $job)))))
    (block $done
      (block $first (result (ref $job) (ref $cv))
        (resume $c (on $step $first) (local.get $jobs)
          (cont.new $c (struct.get $job $code (local.get $jobs))))
        (br $done))
      (loop $l (param (ref $job) (ref $cv))
        (local.set $k)
        (call $print_i32 (struct.get $job $id (ref.cast (ref $job))))
        (block $on (result (ref $job) (ref $cv))
          (resume $cv (on $step $on) (local.get $k))
          (br $done))
        (br $l)))
    (call $print_i32 (ref.test (ref $urgent) (struct.get $job $then (local.get $jobs))))))
