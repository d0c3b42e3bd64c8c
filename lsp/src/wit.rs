//! WIT: the component model's interface language, parsed with `wit-parser` so that what the
//! editor says matches what the toolchain says.

use wit_parser::SourceMap;

use crate::finding::{Finding, Severity};

/// Problems in one WIT file: syntax errors, and names that do not resolve within it.
pub(crate) fn findings(path: &str, text: &str) -> Vec<Finding> {
    let mut map = SourceMap::new();
    map.push_str(path, text);
    match map.parse() {
        Ok(_) => Vec::new(),
        Err((map, error)) => {
            let kind = error.kind();
            let range = map.resolve_span(kind.span()).map(|at| at.range).unwrap_or(0..0);
            vec![Finding {
                range,
                severity: Severity::Error,
                message: kind.to_string(),
            }]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_file_has_no_findings() {
        let text = "package demo:app;\n\ninterface greet {\n  hello: func(name: string) -> string;\n}\n";
        assert_eq!(findings("a.wit", text), vec![]);
    }

    #[test]
    fn an_unknown_type_is_reported_on_its_name() {
        let text = "package demo:app;\n\ninterface greet {\n  hello: func(name: nope) -> string;\n}\n";
        let found = findings("a.wit", text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.clone()], "nope");
        assert_eq!(found[0].message, "name `nope` does not exist");
    }
}
