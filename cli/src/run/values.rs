//! Values on the command line and in results: [`Value`], which `--invoke` arguments are parsed
//! into by their parameter types and results are printed from, in spellings that read back
//! the same (signed and unsigned integers, hex, float bit patterns with NaN payloads).

use std::fmt;

use wasmtime::{Val, ValType};

/// A Wasm value passed to or returned from an export, printed so that it reads back the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// An `i32`, printed signed.
    I32(i32),
    /// An `i64`, printed signed.
    I64(i64),
    /// An `f32` by its bits, so that NaN payloads survive.
    F32(u32),
    /// An `f64` by its bits.
    F64(u64),
    /// A `v128`.
    V128(u128),
    /// A null reference of the named heap type.
    NullRef(&'static str),
    /// A non-null reference of the named heap type (its identity cannot be printed).
    Ref(&'static str),
}

impl Value {
    /// The value's type as written in the text format.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::I32(_) => "i32",
            Value::I64(_) => "i64",
            Value::F32(_) => "f32",
            Value::F64(_) => "f64",
            Value::V128(_) => "v128",
            Value::NullRef(_) | Value::Ref(_) => "ref",
        }
    }

    pub(super) fn from_val(val: &Val) -> Value {
        match val {
            Val::I32(x) => Value::I32(*x),
            Val::I64(x) => Value::I64(*x),
            Val::F32(x) => Value::F32(*x),
            Val::F64(x) => Value::F64(*x),
            Val::V128(x) => Value::V128(x.as_u128()),
            Val::FuncRef(r) => reference(r.is_some(), "func"),
            Val::ExternRef(r) => reference(r.is_some(), "extern"),
            Val::AnyRef(r) => reference(r.is_some(), "any"),
            Val::ExnRef(r) => reference(r.is_some(), "exn"),
            Val::ContRef(r) => reference(r.is_some(), "cont"),
        }
    }

    pub(super) fn to_val(self) -> Val {
        match self {
            Value::I32(x) => Val::I32(x),
            Value::I64(x) => Val::I64(x),
            Value::F32(x) => Val::F32(x),
            Value::F64(x) => Val::F64(x),
            Value::V128(x) => Val::V128(x.into()),
            // Arguments are only ever parsed as numbers.
            Value::NullRef(_) | Value::Ref(_) => Val::I32(0),
        }
    }

    /// Parses a command-line argument of type `ty`: integers in decimal (signed or unsigned) or
    /// `0x` hex, floats in decimal or as `inf`, `-inf`, `nan`, `nan:0xPAYLOAD`.
    pub fn parse(ty: &ValType, text: &str) -> Result<Value, String> {
        let bad = || format!("`{text}` is not {}", describe(ty));
        match ty {
            ValType::I32 => parse_int(text, 32).map(|bits| Value::I32(bits as u32 as i32)).ok_or_else(bad),
            ValType::I64 => parse_int(text, 64).map(|bits| Value::I64(bits as i64)).ok_or_else(bad),
            ValType::F32 => parse_float(text, 32).map(|bits| Value::F32(bits as u32)).ok_or_else(bad),
            ValType::F64 => parse_float(text, 64).map(Value::F64).ok_or_else(bad),
            other => {
                Err(format!("parameters of type {} cannot be given on the command line", describe(other)))
            }
        }
    }
}

fn reference(non_null: bool, heap: &'static str) -> Value {
    if non_null { Value::Ref(heap) } else { Value::NullRef(heap) }
}

fn describe(ty: &ValType) -> String {
    match ty {
        ValType::I32 => "an i32".into(),
        ValType::I64 => "an i64".into(),
        ValType::F32 => "an f32".into(),
        ValType::F64 => "an f64".into(),
        other => other.to_string(),
    }
}

/// Parses an integer of `bits` bits, accepting both signed and unsigned spellings; returns the
/// two's-complement bits.
fn parse_int(text: &str, bits: u32) -> Option<u64> {
    let text = text.replace('_', "");
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    let magnitude = match digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        Some(hex) => u128::from_str_radix(hex, 16).ok()?,
        None if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            digits.parse::<u128>().ok()?
        }
        None => return None,
    };
    let limit = 1u128 << bits;
    if negative {
        if magnitude > limit / 2 {
            return None;
        }
        Some((limit - magnitude) as u64 & (limit - 1) as u64)
    } else if magnitude < limit {
        Some(magnitude as u64)
    } else {
        None
    }
}

/// Parses a float of `bits` bits; returns its bit pattern.
fn parse_float(text: &str, bits: u32) -> Option<u64> {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (sign_bit, exponent_bits, mantissa_bits) =
        if bits == 32 { (1u64 << 31, 0xffu64 << 23, 23) } else { (1u64 << 63, 0x7ffu64 << 52, 52) };
    let sign_bit = if sign { sign_bit } else { 0 };
    if let Some(payload) = body.strip_prefix("nan") {
        let payload = match payload.strip_prefix(":0x") {
            Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16).ok()?,
            None if payload.is_empty() => 1 << (mantissa_bits - 1),
            None => return None,
        };
        if payload == 0 || payload >= 1 << mantissa_bits {
            return None;
        }
        return Some(sign_bit | exponent_bits | payload);
    }
    if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        return Some(sign_bit | exponent_bits);
    }
    // Rust's parser accepts "NaN" and "inf" spellings handled above and nothing else of note;
    // restrict it to plain decimal numbers so that typos are errors.
    if body.is_empty()
        || !body.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+' | b'_'))
    {
        return None;
    }
    let body = body.replace('_', "");
    if bits == 32 {
        let value: f32 = body.parse().ok()?;
        Some(sign_bit | u64::from(value.to_bits()))
    } else {
        let value: f64 = body.parse().ok()?;
        Some(sign_bit | value.to_bits())
    }
}

/// Writes a float's bits the way [`Value::parse`] reads them back.
fn write_float(
    f: &mut fmt::Formatter<'_>,
    negative: bool,
    nan_payload: Option<u64>,
    canonical: u64,
    finite: &dyn fmt::Debug,
) -> fmt::Result {
    match nan_payload {
        Some(payload) => {
            let sign = if negative { "-" } else { "" };
            if payload == canonical { write!(f, "{sign}nan") } else { write!(f, "{sign}nan:{payload:#x}") }
        }
        // `Debug` is Rust's shortest round-trip form, with an exponent for large and small
        // magnitudes (Display would print all 300 digits of 1e300); infinities print as `inf`.
        None => write!(f, "{finite:?}"),
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Value::I32(x) => write!(f, "{x}"),
            Value::I64(x) => write!(f, "{x}"),
            Value::F32(bits) => {
                let x = f32::from_bits(bits);
                let payload = x.is_nan().then_some(u64::from(bits & 0x7f_ffff));
                write_float(f, x.is_sign_negative(), payload, 1 << 22, &x)
            }
            Value::F64(bits) => {
                let x = f64::from_bits(bits);
                let payload = x.is_nan().then_some(bits & ((1 << 52) - 1));
                write_float(f, x.is_sign_negative(), payload, 1 << 51, &x)
            }
            Value::V128(x) => write!(f, "{x:#034x}"),
            Value::NullRef(heap) => write!(f, "ref.null {heap}"),
            Value::Ref(heap) => write!(f, "ref.{heap}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_parse_signed_unsigned_and_hex() {
        assert_eq!(Value::parse(&ValType::I32, "-1"), Ok(Value::I32(-1)));
        assert_eq!(Value::parse(&ValType::I32, "4294967295"), Ok(Value::I32(-1)));
        assert_eq!(Value::parse(&ValType::I32, "0x7fffffff"), Ok(Value::I32(i32::MAX)));
        assert_eq!(Value::parse(&ValType::I32, "-2147483648"), Ok(Value::I32(i32::MIN)));
        assert!(Value::parse(&ValType::I32, "4294967296").is_err());
        assert!(Value::parse(&ValType::I32, "-2147483649").is_err());
        assert!(Value::parse(&ValType::I32, "1.5").is_err());
        assert!(Value::parse(&ValType::I32, "").is_err());
        assert_eq!(Value::parse(&ValType::I64, "-9223372036854775808"), Ok(Value::I64(i64::MIN)));
        assert_eq!(Value::parse(&ValType::I64, "18446744073709551615"), Ok(Value::I64(-1)));
    }

    #[test]
    fn floats_round_trip_through_text() {
        for text in ["0.1", "-0.0", "1e300", "inf", "-inf", "nan", "-nan", "nan:0x1", "2.5"] {
            let value = Value::parse(&ValType::F64, text).unwrap();
            let printed = value.to_string();
            assert_eq!(Value::parse(&ValType::F64, &printed), Ok(value), "{text} -> {printed}");
        }
        for text in ["0.1", "3.4028235e38", "1e-45", "nan:0x200000", "-inf"] {
            let value = Value::parse(&ValType::F32, text).unwrap();
            let printed = value.to_string();
            assert_eq!(Value::parse(&ValType::F32, &printed), Ok(value), "{text} -> {printed}");
        }
        assert_eq!(Value::F64(1.5f64.to_bits()).to_string(), "1.5");
        assert!(Value::parse(&ValType::F64, "1.5x").is_err());
        assert!(Value::parse(&ValType::F32, "nan:0x800000").is_err());
    }
}
