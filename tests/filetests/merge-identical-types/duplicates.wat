;; Types alone in their rec groups with the same structure are one type: the later ones go and
;; their uses name the first. `$takes_y` becomes `$takes_x` once `$y` is `$x` (a second round).
;; Kept: the two types of an explicit rec group (their identity is the group's), and a type
;; naming itself.
;; RUN: wasmfx-opt --merge-identical-types
;; RUN: exports == wasmfx-opt --merge-identical-types | exports
(module
  (type $x (func (result i32)))
  (type $y (func (result i32)))
  (type $takes_x (func (param (ref $x)) (result i32)))
  (type $takes_y (func (param (ref $y)) (result i32)))
  (rec
    (type $in_group_a (func (result i32)))
    (type $in_group_b (func (result i32))))
  (type $list (struct (field (ref null $list))))
  (type $list2 (struct (field (ref null $list2))))
  (func $seven (type $y) (i32.const 7))
  (func $call_it (type $takes_y) (call_ref $y (local.get 0)))
  (func $grouped (type $in_group_a) (i32.const 1))
  (elem declare func $seven)
  (func (export "run") (result i32)
    (i32.add
      (call $call_it (ref.func $seven))
      (i32.add
        (call $grouped)
        (ref.is_null (struct.new $list2 (ref.null $list2)))))))
