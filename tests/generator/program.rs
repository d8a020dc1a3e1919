//! The whole program's text: the types, tags, tables and globals every scenario shares,
//! the scenarios' functions, the fixed helper functions (`$mix`, the peer tables) and
//! `_start`.

use super::*;

impl Gen {
    pub(super) fn program(&mut self, seed: u64) -> String {
        for _ in 0..self.rng.range(2, 4) {
            let params = self.types_list(3);
            let results = self.types_list(2);
            self.tags.push(Sig { params, results });
        }
        if self.features.exceptions {
            for _ in 0..self.rng.range(1, 3) {
                let params = self.types_list(2);
                self.exns.push(params);
            }
        }
        let scenarios = self.rng.range(1, 2) as usize;
        let trap = if self.rng.percent(8) {
            let mut kinds = vec![
                Trap::UnhandledTag,
                Trap::NullContinuation,
                Trap::NullFunction,
                Trap::Consumed,
                Trap::DivideByZero,
            ];
            if self.features.resume_throw {
                kinds.extend([Trap::ResumeThrowNull, Trap::ResumeThrowConsumed]);
            }
            let kind = self.rng.pick(&kinds);
            Some((self.rng.below(scenarios as u64) as usize, kind))
        } else {
            None
        };
        for s in 0..scenarios {
            let trap = trap.filter(|(at, _)| *at == s).map(|(_, kind)| kind);
            self.scenario(s, trap);
        }

        let mut out = String::new();
        writeln!(
            out,
            ";; A random WasmFX program: seed {seed} of tests/generator/mod.rs (see there for its shape)."
        )
        .unwrap();
        if self.features.any() {
            let f = self.features;
            writeln!(
                out,
                ";; Features: exceptions {}, resume_throw {}, switch {}.",
                f.exceptions, f.resume_throw, f.switch
            )
            .unwrap();
        }
        out.push_str("(module\n");
        out.push_str("  (import \"spectest\" \"print_i32\" (func $print_i32 (param i32)))\n");
        out.push_str("  (import \"spectest\" \"print_i64\" (func $print_i64 (param i64)))\n");
        // First of all types, in one rec group: see the module documentation.
        if !self.peers.is_empty() {
            out.push_str("  (rec\n");
            for (g, results) in self.peers.iter().enumerate() {
                let sig = Sig { params: Vec::new(), results: results.clone() };
                writeln!(
                    out,
                    "    (type $pf{g} (func (param i64 (ref null $pc{g})){}))\n    (type $pc{g} (cont $pf{g}))",
                    sig.text()
                )
                .unwrap();
            }
            out.push_str("  )\n");
        }
        self.types.write(&mut out);
        if self.features.gc {
            out.push_str(super::gc::DEFINITIONS);
        }
        if self.nop {
            out.push_str("  (type $f_nop (func))\n  (type $c_nop (cont $f_nop))\n");
        }
        for (i, tag) in self.tags.iter().enumerate() {
            writeln!(out, "  (tag $t{i}{})", tag.text()).unwrap();
        }
        if self.never {
            out.push_str("  (tag $never)\n");
        }
        for (i, params) in self.exns.iter().enumerate() {
            let sig = Sig { params: params.clone(), results: Vec::new() };
            writeln!(out, "  (tag $x{i}{})", sig.text()).unwrap();
        }
        for (g, results) in self.peers.iter().enumerate() {
            let sig = Sig { params: Vec::new(), results: results.clone() };
            writeln!(out, "  (tag $sw{g}{})", sig.text()).unwrap();
            writeln!(out, "  (table $pp{g} 0 (ref null $pc{g}))").unwrap();
        }
        if !self.table.is_empty() {
            writeln!(out, "  (table $fns {} funcref)", self.table.len()).unwrap();
            writeln!(out, "  (elem (table $fns) (i32.const 0) func {})", self.table.join(" ")).unwrap();
        }
        for (i, ct) in self.queues.iter().enumerate() {
            writeln!(out, "  (table $q{i} 0 (ref null {ct}))").unwrap();
        }
        for (i, ct) in self.globals.iter().enumerate() {
            writeln!(out, "  (global $g{i} (mut (ref null {ct})) (ref.null {ct}))").unwrap();
        }
        writeln!(out, "  (global $cs (mut i64) (i64.const {}))", self.rng.next_u64() as i64).unwrap();
        if self.nop {
            self.declared.push("$nop".into());
        }
        if !self.declared.is_empty() {
            writeln!(out, "  (elem declare func {})", self.declared.join(" ")).unwrap();
        }
        out.push_str(MIX_FUNCTIONS);
        for g in 0..self.peers.len() {
            out.push_str(&PEER_FUNCTIONS.replace("{g}", &g.to_string()));
        }
        if self.nop {
            out.push_str("  (func $nop (type $f_nop))\n");
        }
        for func in &self.funcs {
            out.push_str(func);
        }
        out.push_str("  (func (export \"_start\")\n");
        for s in 0..scenarios {
            writeln!(out, "    (call $s{s}_0)").unwrap();
        }
        out.push_str("    (call $print_i64 (global.get $cs)))\n)\n");
        out
    }

    /// Up to `max` random number types, fewer more likely.
    pub(super) fn types_list(&mut self, max: u64) -> Vec<Num> {
        let n = self.rng.range(0, max).min(self.rng.range(0, max));
        (0..n).map(|_| self.rng.pick(&NUMS)).collect()
    }
}

/// The table of peer group `{g}`: `$pp{g}_put` stores a continuation (if not null) in the
/// first free slot, which there always is (see the module documentation: an out-of-bounds
/// trap here is a generator bug); `$pp{g}_take` takes out the first continuation found from
/// slot `start` (modulo the size) on, or returns null when there is none.
pub(super) const PEER_FUNCTIONS: &str = r#"  (func $pp{g}_put (param $k (ref null $pc{g}))
    (local $i i32)
    (if (ref.is_null (local.get $k)) (then (return)))
    (loop $scan
      (if (ref.is_null (table.get $pp{g} (local.get $i)))
        (then
          (table.set $pp{g} (local.get $i) (local.get $k))
          (return)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $scan)))
  (func $pp{g}_take (param $start i32) (result (ref null $pc{g}))
    (local $n i32)
    (local $i i32)
    (local $left i32)
    (local $k (ref null $pc{g}))
    (local.set $n (table.size $pp{g}))
    (if (i32.eqz (local.get $n)) (then (return (ref.null $pc{g}))))
    (local.set $i (i32.rem_u (local.get $start) (local.get $n)))
    (local.set $left (local.get $n))
    (loop $scan
      (local.set $k (table.get $pp{g} (local.get $i)))
      (if (i32.eqz (ref.is_null (local.get $k)))
        (then
          (table.set $pp{g} (local.get $i) (ref.null $pc{g}))
          (return (local.get $k))))
      (local.set $i (i32.rem_u (i32.add (local.get $i) (i32.const 1)) (local.get $n)))
      (local.set $left (i32.sub (local.get $left) (i32.const 1)))
      (br_if $scan (local.get $left)))
    (ref.null $pc{g}))
"#;

/// Folding values into an i64 checksum, and the global checksum of events.
pub(super) const MIX_FUNCTIONS: &str = r#"  (func $mix (param $a i64) (param $x i64) (result i64)
    (i64.mul (i64.xor (i64.rotl (local.get $a) (i64.const 7)) (local.get $x))
      (i64.const 0x100000001b3)))
  (func $mix_i32 (param $a i64) (param $x i32) (result i64)
    (call $mix (local.get $a) (i64.extend_i32_u (local.get $x))))
  (func $mix_i64 (param $a i64) (param $x i64) (result i64)
    (call $mix (local.get $a) (local.get $x)))
  (func $mix_f32 (param $a i64) (param $x f32) (result i64)
    (call $mix (local.get $a) (i64.extend_i32_u (i32.reinterpret_f32 (local.get $x)))))
  (func $mix_f64 (param $a i64) (param $x f64) (result i64)
    (call $mix (local.get $a) (i64.reinterpret_f64 (local.get $x))))
  (func $event (param $x i64)
    (global.set $cs (call $mix (global.get $cs) (local.get $x))))
"#;
