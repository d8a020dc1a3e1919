//! GC values in the random programs (when [`Features::gc`](super::Features) is on): each body
//! may hold a linked list of `$gbox` structs, an `$garr` array of i64s, an `i31ref` and an
//! `anyref` aliasing one of them, in locals that live across the body's suspends like its
//! number state. Statements allocate, update and alias them, and fold a digest of all four
//! into the accumulator, so a reference the lowering restored wrongly (another object, a
//! lost update, a wrong type) changes what the program prints.
//!
//! The hook into the generator is narrow: `Gen::statement` calls [`maybe_statement`] first,
//! and `Gen::program` writes [`DEFINITIONS`] after the other types. The definitions
//! keep to abstract reference types in function signatures, so no function type with a
//! concrete reference comes before the peers' rec group (see `tests/differential/README.md`
//! on Wasmtime 48's `switch`).

use super::{Body, Gen};

/// The GC types and the digest function, written into every program with GC on.
pub const DEFINITIONS: &str = r#"  (type $gbox (struct (field $v (mut i64)) (field $next (ref null $gbox))))
  (type $garr (array (mut i64)))
  (func $gc_digest (param $s anyref) (param $a anyref) (param $i anyref) (param $any anyref) (result i64)
    (local $d i64) (local $n i32) (local $box (ref null $gbox)) (local $arr (ref null $garr))
    (local.set $box (ref.cast (ref null $gbox) (local.get $s)))
    (block $end
      (loop $walk
        (br_if $end (ref.is_null (local.get $box)))
        (br_if $end (i32.ge_u (local.get $n) (i32.const 3)))
        (local.set $d (call $mix (local.get $d) (struct.get $gbox $v (local.get $box))))
        (local.set $box (struct.get $gbox $next (local.get $box)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $walk)))
    (local.set $arr (ref.cast (ref null $garr) (local.get $a)))
    (if (i32.eqz (ref.is_null (local.get $arr)))
      (then
        (local.set $d (call $mix (local.get $d)
          (i64.add (i64.extend_i32_u (array.len (local.get $arr)))
            (array.get $garr (local.get $arr) (i32.const 0)))))))
    (if (i32.eqz (ref.is_null (local.get $i)))
      (then
        (local.set $d (call $mix (local.get $d)
          (i64.extend_i32_s (i31.get_s (ref.cast (ref i31) (local.get $i))))))))
    (call $mix (local.get $d)
      (if (result i64) (ref.is_null (local.get $any))
        (then (i64.const 0))
        (else
          (if (result i64) (ref.test (ref $gbox) (local.get $any))
            (then (i64.const 1))
            (else
              (if (result i64) (ref.test (ref $garr) (local.get $any))
                (then (i64.const 2))
                (else (i64.const 3)))))))))
"#;

/// Before a statement of the body, now and then, one statement on its GC locals (declared on
/// first use). Every choice is drawn from `Gen::gc_rng`, so the program around the GC
/// statements is the one the seed gives without GC.
pub(super) fn maybe_statement(g: &mut Gen, b: &mut Body) {
    let rng = &mut g.gc_rng;
    if !rng.percent(30) {
        return;
    }
    let boxes = b.local("$g_box", "(ref null $gbox)");
    let arr = b.local("$g_arr", "(ref null $garr)");
    let i31 = b.local("$g_i31", "i31ref");
    let any = b.local("$g_any", "anyref");
    match rng.below(7) {
        0 => b.line(format!("(local.set {boxes} (struct.new $gbox (local.get $acc) (local.get {boxes})))")),
        1 => {
            let delta = rng.next_u64() as i64;
            b.line(format!(
                "(if (i32.eqz (ref.is_null (local.get {boxes}))) (then (struct.set $gbox $v (local.get {boxes}) \
                 (i64.add (struct.get $gbox $v (local.get {boxes})) (i64.const {delta})))))"
            ));
        }
        2 => {
            let len = rng.range(1, 4);
            b.line(format!("(local.set {arr} (array.new $garr (local.get $acc) (i32.const {len})))"));
        }
        3 => b.line(format!(
            "(if (i32.eqz (ref.is_null (local.get {arr}))) (then (array.set $garr (local.get {arr}) \
             (i32.sub (array.len (local.get {arr})) (i32.const 1)) (local.get $acc))))"
        )),
        4 => b.line(format!("(local.set {i31} (ref.i31 (i32.wrap_i64 (local.get $acc))))")),
        5 => {
            let from = rng.pick(&[boxes, arr, i31]);
            b.line(format!("(local.set {any} (local.get {from}))"));
        }
        _ => b.line(format!(
            "(local.set $acc (call $mix (local.get $acc) (call $gc_digest (local.get {boxes}) \
             (local.get {arr}) (local.get {i31}) (local.get {any}))))"
        )),
    }
}
