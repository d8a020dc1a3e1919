;; Rec groups go whole or stay whole; tags and continuation types nothing uses go.
;; RUN: wasmfx-opt --remove-unused-module-elements
;; RUN: exports == wasmfx-opt --remove-unused-module-elements | exports
(module
  (rec (type $node (struct (field i32) (field (ref null $node)))) (type $unused_in_group (array i32)))
  (rec (type $lonely (struct (field i64))) (type $lonely2 (struct (field f32))))
  (type $ft (func))
  (type $ct (cont $ft))
  (type $unused_ft (func (param f64)))
  (tag $used_tag (param i32))
  (tag $unused_tag (param i64))
  (func $thrower (throw $used_tag (i32.const 3)))
  (func (export "sum") (result i32)
    (block $h (result i32)
      (try_table (catch $used_tag $h) (call $thrower))
      (i32.const 0))
    (struct.get $node 0 (struct.new $node (i32.const 4) (ref.null $node)))
    (i32.add)))
