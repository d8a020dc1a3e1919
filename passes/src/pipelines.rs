//! The optimisation levels: `-O0` to `-O4`, `-Os` and `-Oz`, each a fixed list of passes,
//! as in `wasm-opt` (`-O` is `-O2`).
//!
//! Every pass in them is function-local (and runs over the functions in parallel) except
//! `inlining`, which reads the callees first, and `merge-identical-types` and
//! `remove-unused-module-elements`, which end each pipeline. The order follows the dependencies between the passes:
//!
//! - `inlining` first, so that the rest cleans up the inlined bodies;
//! - `dce`, `propagate-globals` and `precompute` decide what can run; `simplify-locals` folds stores into their
//!   uses, which leaves pure code to drop for `vacuum` and branches at the ends of
//!   sequences for `remove-unused-brs`; `merge-blocks` then flattens the blocks whose
//!   branches went, which puts more branches at ends: so the cleanup runs twice;
//! - `coalesce-locals` last among the function passes, when the fewest locals are left;
//! - `merge-identical-types` makes the types the parts of a module each declared (the
//!   program's and the lowering runtime's) one;
//! - `remove-unused-module-elements` removes the helpers no call uses any more.
//!
//! `-O1` is the cleanup once, without inlining; `-O2` inlines functions called once, tiny
//! ones and small loop-free ones (speed first, as `wasm-opt -O2`); `-O3` and `-O4` inline
//! twice (helpers called by helpers); `-Os` and `-Oz` inline only what shrinks the module
//! (`inlining-shrink`: functions called once and tiny ones), and `-Oz` repeats the cleanup.

/// The cleanup every level runs.
const CLEANUP: &[&str] = &[
    "dce",
    "propagate-globals",
    "precompute",
    "simplify-locals",
    "vacuum",
    "remove-unused-brs",
    "merge-blocks",
    "precompute",
    "simplify-locals",
    "vacuum",
    "remove-unused-brs",
    "merge-blocks",
    "vacuum",
];

/// The last passes of every level but `-O0`.
const FINISH: &[&str] = &[
    "coalesce-locals",
    "simplify-locals",
    "precompute",
    "vacuum",
    "merge-identical-types",
    "remove-unused-module-elements",
];

/// Every level's name, as written after `-O`.
pub const LEVELS: &[&str] = &["0", "1", "2", "3", "4", "s", "z"];

/// The passes of optimisation level `level` (`"2"` for `-O2`, `""` for `-O`), in order.
pub fn pipeline(level: &str) -> Option<Vec<&'static str>> {
    let mut passes: Vec<&'static str> = Vec::new();
    let rounds: &[&[&str]] = match level {
        "0" => &[],
        "1" => &[&[
            "dce",
            "precompute",
            "simplify-locals",
            "vacuum",
            "remove-unused-brs",
            "merge-blocks",
            "vacuum",
        ]],
        "" | "2" => &[&["inlining"], CLEANUP],
        "3" | "4" => &[&["inlining"], CLEANUP, &["inlining"], CLEANUP],
        "s" => &[&["inlining-shrink"], CLEANUP],
        "z" => &[&["inlining-shrink"], CLEANUP, CLEANUP],
        _ => return None,
    };
    for round in rounds {
        passes.extend_from_slice(round);
    }
    if level != "0" {
        passes.extend_from_slice(FINISH);
    }
    Some(passes)
}
