;; `extern.convert_any` and `any.convert_extern` around suspends: GC values are externalised,
;; kept as externrefs across a suspend (in the externref slots), internalised again and cast
;; back; an externref payload crosses to the handler and returns internalised.
;;
;; RUN: native == lowered == wasmfx-opt --lower-to-asyncify -O2 | lowered
(module
  (import "spectest" "print_i32" (func $print_i32 (param i32)))
  (type $s (struct (field i32)))
  (type $fv (func))
  (type $cv (cont $fv))
  (type $af (func (param anyref)))
  (type $ac (cont $af))
  (tag $out (param externref) (result anyref))
  (elem declare func $task)
  (func $task
    (local $x externref)
    (local $back anyref)
    (local.set $x (extern.convert_any (struct.new $s (i32.const 17))))
    (local.set $back (suspend $out (extern.convert_any (ref.i31 (i32.const 9)))))
    (call $print_i32 (struct.get $s 0 (ref.cast (ref $s) (any.convert_extern (local.get $x)))))
    (call $print_i32 (i31.get_s (ref.cast (ref i31) (local.get $back))))
    (local.set $back (suspend $out (local.get $x)))
    (call $print_i32 (struct.get $s 0 (ref.cast (ref $s) (local.get $back))))
    (local.set $back (suspend $out (ref.null extern)))
    (call $print_i32 (ref.is_null (local.get $back))))
  (func (export "_start")
    (local $k (ref null $ac))
    (local $e externref)
    (block $done
      (block $on (result externref (ref $ac))
        (resume $cv (on $out $on) (cont.new $cv (ref.func $task)))
        (br $done))
      (loop $l (param externref (ref $ac))
        (local.set $k)
        (local.set $e)
        (call $print_i32 (ref.is_null (local.get $e)))
        (block $on2 (result externref (ref $ac))
          (resume $ac (on $out $on2) (any.convert_extern (local.get $e)) (local.get $k))
          (br $done))
        (br $l)))))
