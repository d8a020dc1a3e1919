//! The ways a benchmark is run (`Variant`) and what a report's ratios are relative to
//! (`Baseline`).

use serde::{Deserialize, Serialize};

/// How a program is run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Variant {
    /// The bespoke program (plain Wasm, no coroutines) on Wasmtime: the usual baseline.
    Bespoke,
    /// The WasmFX program on Wasmtime 48 with stack switching.
    Native,
    /// The WasmFX program lowered by `--lower-to-asyncify -O2` (the lowering then our
    /// optimiser), on Wasmtime without stack switching.
    Lowered,
    /// The WasmFX program lowered by `--lower-to-asyncify` then optimised by Binaryen's
    /// `wasm-opt -O2` instead of ours, on Wasmtime without stack switching: what our `-O2`
    /// is measured against.
    #[serde(rename = "lowered+binaryen-O2")]
    LoweredBinaryenO2,
    /// The lowered program on Node.js.
    LoweredNode,
    /// The bespoke C program (no fibers) on Wasmtime.
    CBespoke,
    /// The C program on fibers over Binaryen's Asyncify, on Wasmtime.
    CAsyncify,
    /// The same module on Node.js.
    CAsyncifyNode,
    /// The C program on fibers over WasmFX, on Wasmtime 48 with stack switching.
    CWasmfx,
    /// That module lowered by `--lower-to-asyncify -O2`, on Wasmtime without stack switching.
    CWasmfxLowered,
    /// That module lowered by `--lower-to-asyncify` then Binaryen's `wasm-opt -O2`, on Wasmtime
    /// without stack switching.
    #[serde(rename = "c-wasmfx-lowered+binaryen-O2")]
    CWasmfxLoweredBinaryenO2,
    /// The lowered module on Node.js.
    CWasmfxLoweredNode,
}

impl Variant {
    /// The variants of the WAT programs, in table order.
    pub const WAT: [Variant; 5] = [
        Variant::Bespoke,
        Variant::Native,
        Variant::Lowered,
        Variant::LoweredBinaryenO2,
        Variant::LoweredNode,
    ];

    /// The variants of the C programs, in table order (the paper's rows first).
    pub const C: [Variant; 7] = [
        Variant::CBespoke,
        Variant::CAsyncify,
        Variant::CWasmfx,
        Variant::CWasmfxLowered,
        Variant::CWasmfxLoweredBinaryenO2,
        Variant::CAsyncifyNode,
        Variant::CWasmfxLoweredNode,
    ];

    /// Every variant, in table order: the WAT programs' then the C programs'.
    pub const ALL: [Variant; Variant::WAT.len() + Variant::C.len()] = {
        let mut all = [Variant::Bespoke; Variant::WAT.len() + Variant::C.len()];
        let mut i = 0;
        while i < all.len() {
            all[i] =
                if i < Variant::WAT.len() { Variant::WAT[i] } else { Variant::C[i - Variant::WAT.len()] };
            i += 1;
        }
        all
    };

    /// The variant's name in tables and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Bespoke => "bespoke",
            Variant::Native => "native",
            Variant::Lowered => "lowered",
            Variant::LoweredBinaryenO2 => "lowered+binaryen-O2",
            Variant::LoweredNode => "lowered-node",
            Variant::CBespoke => "c-bespoke",
            Variant::CAsyncify => "c-asyncify",
            Variant::CAsyncifyNode => "c-asyncify-node",
            Variant::CWasmfx => "c-wasmfx",
            Variant::CWasmfxLowered => "c-wasmfx-lowered",
            Variant::CWasmfxLoweredBinaryenO2 => "c-wasmfx-lowered+binaryen-O2",
            Variant::CWasmfxLoweredNode => "c-wasmfx-lowered-node",
        }
    }

    /// The variant named `name`.
    pub fn from_name(name: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.name() == name)
    }

    /// Whether it runs a C program.
    pub fn is_c(self) -> bool {
        Variant::C.contains(&self)
    }

    /// Whether it runs a lowered module on Wasmtime (`wasmfx-run --lower`, stack switching off).
    pub fn lowered_on_wasmtime(self) -> bool {
        matches!(
            self,
            Variant::Lowered
                | Variant::LoweredBinaryenO2
                | Variant::CWasmfxLowered
                | Variant::CWasmfxLoweredBinaryenO2
        )
    }

    /// Whether its module is optimised by Binaryen's `wasm-opt -O2` after our lowering.
    pub fn uses_binaryen_o2(self) -> bool {
        matches!(self, Variant::LoweredBinaryenO2 | Variant::CWasmfxLoweredBinaryenO2)
    }

    /// Whether it runs on Node.js.
    pub fn on_node(self) -> bool {
        matches!(self, Variant::LoweredNode | Variant::CAsyncifyNode | Variant::CWasmfxLoweredNode)
    }
}

/// What the ratios of a report are relative to.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Baseline {
    /// The bespoke programs (the paper's second table shape).
    Bespoke,
    /// The C programs on Binaryen's Asyncify (the paper's first table shape); the WAT programs,
    /// which have no Asyncify build, stay relative to bespoke.
    Asyncify,
    /// WasmFX natively.
    Native,
    /// WasmFX lowered by us, on Wasmtime.
    Lowered,
}

impl Baseline {
    /// Every baseline.
    pub const ALL: [Baseline; 4] =
        [Baseline::Bespoke, Baseline::Asyncify, Baseline::Native, Baseline::Lowered];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Baseline::Bespoke => "bespoke",
            Baseline::Asyncify => "asyncify",
            Baseline::Native => "native",
            Baseline::Lowered => "lowered",
        }
    }

    /// The baseline named `name`.
    pub fn from_name(name: &str) -> Option<Baseline> {
        Baseline::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The variant the figures of `variant`'s family (WAT or C programs) are divided by.
    pub fn variant_for(self, variant: Variant) -> Variant {
        match (variant.is_c(), self) {
            (false, Baseline::Bespoke | Baseline::Asyncify) => Variant::Bespoke,
            (false, Baseline::Native) => Variant::Native,
            (false, Baseline::Lowered) => Variant::Lowered,
            (true, Baseline::Bespoke) => Variant::CBespoke,
            (true, Baseline::Asyncify) => Variant::CAsyncify,
            (true, Baseline::Native) => Variant::CWasmfx,
            (true, Baseline::Lowered) => Variant::CWasmfxLowered,
        }
    }
}
