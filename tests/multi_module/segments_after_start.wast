;; A module's active segments are applied when it is instantiated, after the start functions
;; of the modules instantiated before it: here the first module's start function fills its
;; memory and table, and the second module's data and element segments overwrite part of
;; both. Merged, the second module's segments must still land after the first start function
;; (and its own start function must see them), so the overwritten bytes and table entries are
;; the second module's.
(module $owner
  (type $f (func (result i32)))
  (type $c (cont $f))
  (type $g (func (param i32) (result i32)))
  (type $answer (cont $g))
  (memory (export "memory") 1)
  (table $table (export "table") 4 (ref null $f))
  (tag $ask (export "ask") (result i32))
  (func $seven (result i32) (i32.const 7))
  (elem declare func $seven)
  (func $fill
    (memory.fill (i32.const 0) (i32.const 65) (i32.const 8))
    (table.fill $table (i32.const 0) (ref.func $seven) (i32.const 4)))
  (start $fill)
  ;; Runs entry `i` of the table as a continuation, answering its one question with 100.
  (func (export "run") (param $i i32) (result i32)
    (local $k (ref null $answer))
    (block $on_ask (result (ref $answer))
      (return (resume $c (on $ask $on_ask) (cont.new $c (table.get $table (local.get $i))))))
    (local.set $k)
    (resume $answer (i32.const 100) (local.get $k)))
  (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0))))
(register "owner")

(module $writer
  (type $f (func (result i32)))
  (import "owner" "memory" (memory 1))
  (import "owner" "table" (table 4 (ref null $f)))
  (import "owner" "ask" (tag $ask (result i32)))
  (global $seen (mut i32) (i32.const 0))
  (func $asks (result i32) (i32.add (suspend $ask) (i32.const 1)))
  (data (i32.const 2) "BC")
  (elem (table 0) (i32.const 1) (ref $f) (ref.func $asks))
  ;; Its start function runs after its own segments: it sees "B" at 2.
  (func $look (global.set $seen (i32.load8_u (i32.const 2))))
  (start $look)
  (func (export "seen") (result i32) (global.get $seen)))

(assert_return (invoke $owner "byte" (i32.const 1)) (i32.const 65))
(assert_return (invoke $owner "byte" (i32.const 2)) (i32.const 66))
(assert_return (invoke $owner "byte" (i32.const 3)) (i32.const 67))
(assert_return (invoke $owner "byte" (i32.const 4)) (i32.const 65))
(assert_return (invoke "seen") (i32.const 66))
(assert_return (invoke $owner "run" (i32.const 0)) (i32.const 7))
(assert_return (invoke $owner "run" (i32.const 1)) (i32.const 101))
(assert_return (invoke $owner "run" (i32.const 2)) (i32.const 7))
