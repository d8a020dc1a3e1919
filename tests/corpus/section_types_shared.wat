;; Shared-everything-threads types (validation only: Wasmtime 48 does not run them):
;; shared func/struct/array/cont types, shared abstract heap types, shared subtypes
;; and rec groups. No zero-parameter exports.
(module $section_types_shared
  (type $sf (shared (func)))
  (type $sf2 (shared (func (param i32) (result i32))))
  (type $ss (shared (struct (field i32) (field (mut i64)))))
  (type $sa (shared (array (mut i32))))
  (type $sopen (sub (shared (struct (field i32)))))
  (type $sclosed (sub final $sopen (shared (struct (field i32) (field f64)))))
  (rec (type $slist (shared (struct (field i32) (field (ref null $slist))))))
  (type $sct (shared (cont $sf)))
  (type $srefs (shared (struct
    (field (ref null (shared any))) (field (ref null (shared eq))) (field (ref null (shared i31)))
    (field (ref null (shared struct))) (field (ref null (shared array))) (field (ref null (shared func)))
    (field (ref null (shared extern))) (field (ref null (shared none))))))

  (memory $m 1 1 shared)
  (global $g (mut (ref null (shared any))) (ref.null (shared none)))

  (func $f (type $sf2) (i32.add (local.get 0) (i32.const 1)))
  (func (export "make_shared") (param i32) (result i32)
    (struct.get $ss 0 (struct.new $ss (local.get 0) (i64.const 0))))
)
