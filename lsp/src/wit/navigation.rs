//! Go to definition and find references for the interface, world and type names of a WIT
//! package, across its files.

use std::path::PathBuf;

use super::index::Index;
use crate::answer::Location;

/// The files of a package as the index takes them: `path` first, then its siblings.
pub(super) fn files<'a>(path: &'a str, text: &'a str, package: &'a [(String, String)]) -> Vec<(&'a str, &'a str)> {
    std::iter::once((path, text))
        .chain(
            package
                .iter()
                .filter(|(p, _)| p != path)
                .map(|(p, t)| (p.as_str(), t.as_str())),
        )
        .collect()
}

/// Where the name at `offset` is defined; a `use … as` renaming leads to what it renames.
pub(crate) fn definition(path: &str, text: &str, package: &[(String, String)], offset: usize) -> Option<Location> {
    let index = Index::new(&files(path, text, package));
    let (_, sym) = index.symbol_at(0, offset)?;
    let original = index.original(&sym);
    let site = index
        .definitions
        .get(&original)
        .or_else(|| index.definitions.get(&sym))?
        .site;
    Some(Location {
        path: PathBuf::from(index.files[site.file].path),
        range: index.range(site),
    })
}

/// The definition and every use of the name at `offset`, the definition first.
pub(crate) fn references(path: &str, text: &str, package: &[(String, String)], offset: usize) -> Option<Vec<Location>> {
    let index = Index::new(&files(path, text, package));
    let (_, sym) = index.symbol_at(0, offset)?;
    Some(
        index
            .occurrences_of(&sym)
            .into_iter()
            .map(|site| Location {
                path: PathBuf::from(index.files[site.file].path),
                range: index.range(site),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = "package demo:multi;\n\ninterface api {\n  use types.{order, order as purchase};\n  place: func(o: order) -> purchase;\n}\n\nworld shop {\n  export api;\n}\n";
    const TYPES: &str = "package demo:multi;\n\ninterface types {\n  record order {\n    id: u64,\n  }\n}\n";

    fn package() -> Vec<(String, String)> {
        vec![("/p/types.wit".into(), TYPES.into())]
    }

    fn at(text: &str, needle: &str, nth: usize) -> usize {
        text.match_indices(needle).nth(nth).unwrap().0
    }

    fn shown(locations: &[Location]) -> Vec<(String, usize, usize)> {
        locations
            .iter()
            .map(|l| (l.path.display().to_string(), l.range.start, l.range.end))
            .collect()
    }

    #[test]
    fn definition_in_a_sibling_file() {
        let order = at(TYPES, "order", 0);
        for offset in [at(API, "order", 0), at(API, "order", 2) + 2, at(API, "order", 2) + 5] {
            assert_eq!(
                definition("/p/api.wit", API, &package(), offset),
                Some(Location {
                    path: "/p/types.wit".into(),
                    range: order..order + 5
                }),
                "at {offset}"
            );
        }
        // Through a renaming, to the record itself.
        let renamed = definition("/p/api.wit", API, &package(), at(API, "purchase", 1)).unwrap();
        assert_eq!(renamed.range, order..order + 5);
        let api = definition("/p/api.wit", API, &package(), at(API, "api;", 0)).unwrap();
        assert_eq!(
            shown(&[api]),
            [("/p/api.wit".into(), at(API, "api", 0), at(API, "api", 0) + 3)]
        );
        assert_eq!(definition("/p/api.wit", API, &package(), at(API, "multi", 0)), None);
        assert_eq!(definition("/p/api.wit", API, &package(), at(API, "func", 0)), None);
        assert_eq!(definition("/p/api.wit", API, &package(), API.len() + 10), None);
    }

    #[test]
    fn references_definition_first_across_files() {
        let found = references(
            "/p/types.wit",
            TYPES,
            &[("/p/api.wit".into(), API.into())],
            at(TYPES, "order", 0),
        );
        let api = |n| (String::from("/p/api.wit"), at(API, "order", n), at(API, "order", n) + 5);
        assert_eq!(
            shown(&found.unwrap()),
            [
                ("/p/types.wit".into(), at(TYPES, "order", 0), at(TYPES, "order", 0) + 5),
                api(0),
                api(1),
                api(2),
            ]
        );
        // A renaming's references are its own.
        let found = references("/p/api.wit", API, &package(), at(API, "purchase", 1)).unwrap();
        assert_eq!(
            shown(&found),
            [
                ("/p/api.wit".into(), at(API, "purchase", 0), at(API, "purchase", 0) + 8),
                ("/p/api.wit".into(), at(API, "purchase", 1), at(API, "purchase", 1) + 8),
            ]
        );
        assert_eq!(references("/p/api.wit", API, &package(), at(API, "place", 0)), None);
    }
}
