//! `docs/events.md` and the crate describe the same catalogue: the same types
//! and versions, and for each type exactly the payload's fields.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

/// One heading of the catalogue: the types it names (with versions) and the
/// fields of the table under it.
#[derive(Debug, Default)]
struct Section {
    types: Vec<(String, u32)>,
    fields: BTreeSet<String>,
}

fn documented() -> Vec<Section> {
    // Read at run time: a build reused from another checkout keeps that
    // checkout's compile-time path.
    let crate_dir = std::env::var("CARGO_MANIFEST_DIR")
        .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
    let path = std::path::Path::new(&crate_dir).join("../../docs/events.md");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} is readable: {e}", path.display()));
    let catalogue = text
        .split_once("## Catalogue")
        .expect("docs/events.md has a Catalogue section")
        .1;
    let mut sections: Vec<Section> = Vec::new();
    for line in catalogue.lines() {
        if line.starts_with('#') {
            let types = typed_names(line);
            if !types.is_empty() {
                sections.push(Section {
                    types,
                    fields: BTreeSet::new(),
                });
            }
        } else if let (Some(section), Some(row)) = (sections.last_mut(), line.strip_prefix("| `")) {
            let field = row.split('`').next().unwrap_or_default();
            section.fields.insert(field.to_owned());
        }
    }
    sections
}

/// The `` `a.b.c` (vN) `` names in a heading.
fn typed_names(heading: &str) -> Vec<(String, u32)> {
    let parts: Vec<&str> = heading.split('`').collect();
    let mut names = Vec::new();
    for pair in parts.windows(2).skip(1).step_by(2) {
        let (name, after) = (pair[0], pair[1]);
        if !name.contains('.') {
            continue;
        }
        let version = after
            .trim_start()
            .strip_prefix("(v")
            .and_then(|v| v.split(')').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {heading:?} has no (vN) after it"));
        names.push((name.to_owned(), version));
    }
    names
}

#[test]
fn every_type_in_the_crate_is_documented_and_every_documented_type_exists() {
    let documented: BTreeMap<String, u32> = documented()
        .into_iter()
        .flat_map(|section| section.types)
        .collect();
    let in_crate: BTreeMap<String, u32> = contracts::CATALOGUE
        .iter()
        .map(|entry| (entry.event_type.to_owned(), entry.version))
        .collect();
    assert_eq!(
        documented, in_crate,
        "docs/events.md (left) and crates/contracts (right) differ"
    );
}

#[test]
fn every_documented_table_lists_exactly_the_payload_fields() {
    let sections = documented();
    assert!(!sections.is_empty());
    for section in sections {
        for (event_type, _) in &section.types {
            let entry = contracts::CATALOGUE
                .iter()
                .find(|entry| entry.event_type == event_type)
                .unwrap_or_else(|| panic!("{event_type} is documented but not in the crate"));
            let fields: BTreeSet<String> = (entry.example)()
                .as_object()
                .map(|object| object.keys().cloned().collect())
                .unwrap_or_default();
            assert_eq!(
                section.fields, fields,
                "{event_type}: documented fields (left) and payload fields (right) differ"
            );
        }
    }
}

#[test]
fn heading_parser_reads_names_and_versions() {
    assert_eq!(
        typed_names("### `a.b.c` (v1), `a.b.d` (v2)"),
        vec![("a.b.c".to_owned(), 1), ("a.b.d".to_owned(), 2)]
    );
    assert!(typed_names("### Producing: the `outbox`").is_empty());
}
