//! Random values of the number types: computed from state, or constants written so that
//! they read back to the same bits.

use super::*;

impl Gen {
    /// A value of type `ty`: a state local, something computed from the accumulator, or a
    /// constant. Floats come only from constants and integer conversions (plus a finite
    /// constant), so they are never NaN unless a constant is.
    pub(super) fn value(&mut self, b: &Body, ty: Num) -> String {
        let locals: Vec<&String> = b.values.iter().filter(|(_, t)| *t == ty).map(|(n, _)| n).collect();
        match self.rng.below(10) {
            0..=3 if !locals.is_empty() => {
                format!("(local.get {})", self.rng.pick(&locals))
            }
            4..=6 => match ty {
                Num::I32 => "(i32.wrap_i64 (local.get $acc))".into(),
                Num::I64 => "(local.get $acc)".into(),
                Num::F32 => "(f32.convert_i64_s (local.get $acc))".into(),
                Num::F64 => "(f64.convert_i64_s (local.get $acc))".into(),
            },
            7 => match ty {
                Num::I32 => format!(
                    "(i32.add (i32.wrap_i64 (i64.shr_u (local.get $acc) (i64.const 32))) (i32.const {}))",
                    self.rng.next_u64() as i32
                ),
                Num::I64 => {
                    format!("(i64.mul (local.get $acc) (i64.const {}))", self.rng.next_u64() as i64 | 1)
                }
                Num::F32 => format!(
                    "(f32.add (f32.convert_i64_s (local.get $acc)) (f32.const {}))",
                    float32(self.rng.range(0, 1_000_000) as f32 / 64.0)
                ),
                Num::F64 => format!(
                    "(f64.add (f64.convert_i64_s (local.get $acc)) (f64.const {}))",
                    float64(self.rng.range(0, 1_000_000) as f64 / 1024.0)
                ),
            },
            _ => self.constant(ty),
        }
    }

    pub(super) fn constant(&mut self, ty: Num) -> String {
        let bits = self.rng.next_u64();
        let special = self.rng.percent(20);
        match ty {
            Num::I32 => format!("(i32.const {})", bits as i32),
            Num::I64 => format!("(i64.const {})", bits as i64),
            Num::F32 => {
                let x = if special {
                    self.rng.pick(&[
                        f32::from_bits(0x8000_0000),
                        f32::INFINITY,
                        f32::NEG_INFINITY,
                        f32::from_bits(0x7fc0_0000),
                        f32::from_bits(0xff80_1234),
                        f32::from_bits(1),
                    ])
                } else {
                    f32::from_bits(bits as u32 & 0xbfff_ffff)
                };
                format!("(f32.const {})", float32(x))
            }
            Num::F64 => {
                let x = if special {
                    self.rng.pick(&[
                        f64::from_bits(0x8000_0000_0000_0000),
                        f64::INFINITY,
                        f64::NEG_INFINITY,
                        f64::from_bits(0x7ff8_0000_0000_0000),
                        f64::from_bits(0xfff0_0000_0000_0042),
                        f64::from_bits(1),
                    ])
                } else {
                    f64::from_bits(bits & 0xbfff_ffff_ffff_ffff)
                };
                format!("(f64.const {})", float64(x))
            }
        }
    }
}

/// An f32 as text that reads back to the same bits.
pub(super) fn float32(x: f32) -> String {
    if x.is_nan() {
        let sign = if x.is_sign_negative() { "-" } else { "" };
        format!("{sign}nan:{:#x}", x.to_bits() & 0x7f_ffff)
    } else if x.is_infinite() {
        if x < 0.0 { "-inf" } else { "inf" }.into()
    } else {
        format!("{x:?}")
    }
}

/// An f64 as text that reads back to the same bits.
pub(super) fn float64(x: f64) -> String {
    if x.is_nan() {
        let sign = if x.is_sign_negative() { "-" } else { "" };
        format!("{sign}nan:{:#x}", x.to_bits() & 0xf_ffff_ffff_ffff)
    } else if x.is_infinite() {
        if x < 0.0 { "-inf" } else { "inf" }.into()
    } else {
        format!("{x:?}")
    }
}
