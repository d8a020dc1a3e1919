//! Fuzzes the reader, writer and verifier on arbitrary bytes: whatever validates must read
//! without panicking, write to a valid module, and write the same bytes a second time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wasmfx_ir::{Module, validate};

fuzz_target!(|data: &[u8]| {
    let features = validate::default_features();
    let Ok(module) = Module::from_bytes(data, features) else { return };
    let first = module.to_valid_bytes(features).expect("a read module writes back validly");
    let again = Module::from_bytes(&first, features).expect("written output reads back");
    let second = again.to_bytes().expect("and writes again");
    assert_eq!(first, second, "round trip is not stable");
});
