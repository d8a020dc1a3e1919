//! Round trip of the team's corpus (`tests/corpus/*.wat`): read, write, validate, read again;
//! the second write must equal the first byte for byte, and the printed text must be stable.

mod common;

use common::*;
use wasmfx::ir::text::print_text;

#[test]
fn corpus_round_trips_byte_identically() {
    let files = files("tests/corpus", "wat");
    assert!(files.len() >= 20, "the corpus has only {} modules", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let original = wat_file(path);
        let result = (|| {
            let first = round_trip(&original)?;
            let second = round_trip(&first)?;
            if first != second {
                return Err("second write differs from the first".to_string());
            }
            if section_layout(&original) != section_layout(&first) {
                return Err(format!(
                    "sections moved:\n  original: {:?}\n  written:  {:?}",
                    section_layout(&original),
                    section_layout(&first)
                ));
            }
            let printed_first = print_text(&first).map_err(|e| e.to_string())?;
            let printed_second = print_text(&second).map_err(|e| e.to_string())?;
            if printed_first != printed_second {
                return Err("printed text is not stable".to_string());
            }
            // Printing the original and the round-tripped module gives the same text: the IR
            // kept the meaning, names and structure.
            let printed_original = print_text(&original).map_err(|e| e.to_string())?;
            if printed_original != printed_first {
                return Err(format!(
                    "printed text differs from the original's:\n{}",
                    first_difference(&printed_original, &printed_first)
                ));
            }
            Ok(())
        })();
        if let Err(e) = result {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{} of {} failed:\n{}", failures.len(), files.len(), failures.join("\n"));
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (la, lb)) in a.lines().zip(b.lines()).enumerate() {
        if la != lb {
            return format!("line {}:\n  original: {la}\n  written:  {lb}", i + 1);
        }
    }
    format!("lengths differ: {} vs {} lines", a.lines().count(), b.lines().count())
}

/// The module's sections in order: known ones by id, custom ones by name.
fn section_layout(bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload.unwrap() {
            wasmparser::Payload::CustomSection(c) => out.push(format!("custom {}", c.name())),
            p => {
                if let Some((id, _)) = p.as_section() {
                    out.push(format!("section {id}"));
                }
            }
        }
    }
    out
}
