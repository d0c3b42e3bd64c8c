//! WIT problems: syntax errors and names that resolve nowhere in the package.

use crate::finding::{Finding, Severity};

use super::package::parse;

/// Problems in one WIT file, parsed together with the other files of its package (`package`:
/// path and text of each sibling).
pub(crate) fn findings(path: &str, text: &str, package: &[(String, String)]) -> Vec<Finding> {
    match parse(path, text, package) {
        Ok(_) => Vec::new(),
        Err((map, error)) => {
            let kind = error.kind();
            match map.resolve_span(kind.span()) {
                // An error in a sibling is that file's to show.
                Some(at) if at.path != path => Vec::new(),
                at => {
                    let range = at.map(|at| at.range).unwrap_or(0..0);
                    vec![Finding {
                        range,
                        severity: Severity::Error,
                        message: kind.to_string(),
                    }]
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_file_has_no_findings() {
        let text = "package demo:app;\n\ninterface greet {\n  hello: func(name: string) -> string;\n}\n";
        assert_eq!(findings("a.wit", text, &[]), vec![]);
    }

    #[test]
    fn an_unknown_type_is_reported_on_its_name() {
        let text = "package demo:app;\n\ninterface greet {\n  hello: func(name: nope) -> string;\n}\n";
        let found = findings("a.wit", text, &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.clone()], "nope");
        assert_eq!(found[0].message, "name `nope` does not exist");
    }

    #[test]
    fn names_from_sibling_files_resolve_and_their_errors_stay_there() {
        let api = "package demo:app;\ninterface api {\n  use types.{id};\n  get: func() -> id;\n}\n";
        let types = "package demo:app;\ninterface types {\n  type id = u64;\n}\n";
        assert_eq!(findings("api.wit", api, &[]).len(), 1);
        assert_eq!(findings("api.wit", api, &[("types.wit".into(), types.into())]), vec![]);
        let broken_types = types.replace("u64", "nope");
        assert_eq!(
            findings("api.wit", api, &[("types.wit".into(), broken_types.clone())]),
            vec![]
        );
        assert_eq!(
            findings("types.wit", &broken_types, &[("api.wit".into(), api.into())]).len(),
            1
        );
    }
}
