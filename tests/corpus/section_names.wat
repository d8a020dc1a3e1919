;; Name section: module name and names for functions, locals (params and locals),
;; labels, types, fields, globals, tables, memories, tags, elem and data segments, all
;; given with $identifiers; also (@name "...") annotations for names that are not
;; valid identifiers.
(module $names_module
  (type $point_type (struct (field $x_field (mut i32)) (field $y_field (mut i32))))
  (type $binop_type (func (param $lhs i32) (param $rhs i32) (result i32)))
  (type $list_type (array (mut i32)))
  (rec
    (type $node_type (struct (field $value_field i32) (field $next_field (ref null $node_type)))))

  (table $named_table 2 funcref)
  (memory $named_memory 1)
  (global $named_global (mut i32) (i32.const 10))
  (tag $named_tag (param i32))
  (elem $named_elem (table $named_table) (i32.const 0) func $add_func $sub_func)
  (data $named_data (memory $named_memory) (i32.const 0) "named")
  (data $named_passive "passive")

  (func $add_func (type $binop_type) (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b)))
  (func $sub_func (type $binop_type) (param $minuend i32) (param $subtrahend i32) (result i32)
    (i32.sub (local.get $minuend) (local.get $subtrahend)))

  (func $weird (@name "a name with spaces & symbols") (param $p (@name "param name!") i32) (result i32)
    (local $l (@name "local name?") i32)
    (local.set $l (i32.mul (local.get $p) (i32.const 2)))
    (local.get $l))

  (func $labels_func (export "labels") (param $n i32) (result i32)
    (local $counter i32) (local $total i32) (local $unnamed_next i32)
    (local.set $counter (local.get $n))
    (block $exit_label
      (loop $loop_label
        (br_if $exit_label (i32.eqz (local.get $counter)))
        (block $inner_block (result i32)
          (if $if_label (result i32) (i32.and (local.get $counter) (i32.const 1))
            (then (local.get $counter))
            (else (i32.const 0))))
        (local.set $total (i32.add (local.get $total)))
        (local.set $counter (i32.sub (local.get $counter) (i32.const 1)))
        (br $loop_label)))
    (block $after_try (try_table $try_label (catch_all $after_try) (br $try_label)))
    (local.get $total))

  (func (export "use_everything") (result i32)
    (local $pt (ref null $point_type)) (local $node (ref null $node_type)) (local $arr (ref null $list_type))
    (local.set $pt (struct.new $point_type (i32.const 1) (i32.const 2)))
    (struct.set $point_type $y_field (local.get $pt) (i32.const 20))
    (local.set $node (struct.new $node_type (i32.const 3) (ref.null $node_type)))
    (local.set $arr (array.new_fixed $list_type 2 (i32.const 4) (i32.const 5)))
    (memory.init $named_memory $named_passive (i32.const 8) (i32.const 0) (i32.const 7))
    (global.set $named_global (i32.add (global.get $named_global) (i32.load8_u $named_memory (i32.const 8))))
    (block $catch_label (result i32)
      (try_table (catch $named_tag $catch_label)
        (throw $named_tag (i32.const 6)))
      (i32.const 0))
    (i32.add (struct.get $point_type $x_field (local.get $pt)))
    (i32.add (struct.get $point_type $y_field (local.get $pt)))
    (i32.add (struct.get $node_type $value_field (local.get $node)))
    (i32.add (array.get $list_type (local.get $arr) (i32.const 1)))
    (i32.add (global.get $named_global))
    (i32.add (call_indirect $named_table (type $binop_type) (i32.const 100) (i32.const 1) (i32.const 1)))
    (i32.add (call $weird (i32.const 1)))
    (i32.add (table.size $named_table))
    (i32.add (call $labels_func (i32.const 5))))
)
