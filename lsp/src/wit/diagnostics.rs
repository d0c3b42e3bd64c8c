//! WIT problems: syntax errors, names that resolve nowhere in the package, and what
//! resolving it against its `deps/` finds (foreign packages or interfaces that are not there,
//! cycles, world elaboration), as `wit-parser` reports them.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use crate::OpenFiles;
use crate::finding::{Finding, Severity};

use super::package::{DependencyState, dependency_state, parse, resolve};

/// Everything a package's diagnostics depend on: each file's name and text, sorted, and the
/// state of its dependencies.
#[derive(PartialEq)]
struct PackageState {
    files: Vec<(String, String)>,
    dependencies: DependencyState,
}

impl PackageState {
    fn of(path: &str, text: &str, package: &[(String, String)], open: OpenFiles) -> PackageState {
        let mut files: Vec<(String, String)> = package.to_vec();
        files.push((path.to_string(), text.to_string()));
        files.sort();
        PackageState {
            files,
            dependencies: dependency_state(Path::new(path), open),
        }
    }
}

/// How many recent valid package states are remembered.
const REMEMBERED: usize = 8;

/// Package states that parsed and resolved without a problem. A package that is valid with
/// one of its files checked first is valid with any: after a keystroke in one file, its
/// siblings (republished because they depend on it) need not be parsed again.
fn known_valid() -> &'static Mutex<VecDeque<PackageState>> {
    static VALID: OnceLock<Mutex<VecDeque<PackageState>>> = OnceLock::new();
    VALID.get_or_init(Default::default)
}

/// Problems in one WIT file, parsed together with the other files of its package (`package`:
/// path and text of each sibling) and resolved with its dependencies (read from disk, or
/// from `open` when the editor has them open).
pub(crate) fn findings(path: &str, text: &str, package: &[(String, String)], open: OpenFiles) -> Vec<Finding> {
    let state = PackageState::of(path, text, package, open);
    let lock = || known_valid().lock().unwrap_or_else(|p| p.into_inner());
    if lock().contains(&state) {
        return Vec::new();
    }
    match parse(path, text, package) {
        Ok(group) => match resolve(Path::new(path), group, open) {
            None => {
                let mut valid = lock();
                if valid.len() == REMEMBERED {
                    valid.pop_front();
                }
                valid.push_back(state);
                Vec::new()
            }
            Some(problem) if problem.path == path || problem.path.is_empty() => vec![Finding {
                range: problem.range,
                severity: Severity::Error,
                message: problem.message,
            }],
            // A problem in a sibling or a dependency is that file's to show.
            _ => Vec::new(),
        },
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
        assert_eq!(findings("a.wit", text, &[], &|_| None), vec![]);
    }

    #[test]
    fn an_unknown_type_is_reported_on_its_name() {
        let text = "package demo:app;\n\ninterface greet {\n  hello: func(name: nope) -> string;\n}\n";
        let found = findings("a.wit", text, &[], &|_| None);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.clone()], "nope");
        assert_eq!(found[0].message, "name `nope` does not exist");
    }

    #[test]
    fn names_from_sibling_files_resolve_and_their_errors_stay_there() {
        let api = "package demo:app;\ninterface api {\n  use types.{id};\n  get: func() -> id;\n}\n";
        let types = "package demo:app;\ninterface types {\n  type id = u64;\n}\n";
        assert_eq!(findings("api.wit", api, &[], &|_| None).len(), 1);
        assert_eq!(
            findings("api.wit", api, &[("types.wit".into(), types.into())], &|_| None),
            vec![]
        );
        let broken_types = types.replace("u64", "nope");
        assert_eq!(
            findings("api.wit", api, &[("types.wit".into(), broken_types.clone())], &|_| None),
            vec![]
        );
        assert_eq!(
            findings("types.wit", &broken_types, &[("api.wit".into(), api.into())], &|_| None).len(),
            1
        );
    }

    #[test]
    fn a_remembered_valid_package_answers_for_its_siblings_but_hides_no_later_problem() {
        let api = "package demo:memo;\ninterface api {\n  use types.{id};\n  get: func() -> id;\n}\n";
        let types = "package demo:memo;\ninterface types {\n  type id = u64;\n}\n";
        let package = |name: &str, text: &str| vec![(name.to_string(), text.to_string())];
        assert_eq!(
            findings("memo-api.wit", api, &package("memo-types.wit", types), &|_| None),
            vec![]
        );
        assert_eq!(
            findings("memo-types.wit", types, &package("memo-api.wit", api), &|_| None),
            vec![]
        );
        let broken = types.replace("u64", "nope");
        let found = findings("memo-types.wit", &broken, &package("memo-api.wit", api), &|_| None);
        assert_eq!(found.len(), 1);
        assert_eq!(&broken[found[0].range.clone()], "nope");
        // Back to the remembered text: valid again.
        assert_eq!(
            findings("memo-types.wit", types, &package("memo-api.wit", api), &|_| None),
            vec![]
        );
    }

    /// What `wit-parser` says when it resolves the directory the way `wasm-tools` does.
    fn push_dir_says(dir: &std::path::Path) -> Option<String> {
        let error = wit_parser::Resolve::default().push_dir(dir).err()?;
        Some(match error.downcast_ref::<wit_parser::ResolveError>() {
            Some(resolve) => resolve.kind().to_string(),
            None => error.root_cause().to_string(),
        })
    }

    #[test]
    fn foreign_packages_resolve_through_deps_as_wit_parser_resolves_them() {
        let root = std::env::temp_dir().join(format!("wasmscope-wit-diag-deps-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("wit")).unwrap();
        let world = root.join("wit/world.wit");
        let name = world.to_string_lossy().into_owned();
        let text = "package demo:app;\n\ninterface api {\n  use wasi:io/streams@0.2.0.{input-stream};\n  read: func(s: borrow<input-stream>);\n}\n";
        std::fs::write(&world, text).unwrap();
        let shown = |text: &str| -> Vec<(String, String)> {
            findings(&name, text, &[], &|_| None)
                .into_iter()
                .map(|f| (text[f.range].to_string(), f.message))
                .collect()
        };
        // No deps: the package is not found, on the path that names it.
        assert_eq!(
            shown(text),
            [(
                "wasi:io".to_string(),
                "package 'wasi:io@0.2.0' not found. known packages:\n    demo:app".to_string()
            )]
        );
        assert_eq!(
            push_dir_says(&root.join("wit")).as_deref(),
            Some("package 'wasi:io@0.2.0' not found. known packages:\n    demo:app")
        );
        std::fs::create_dir_all(root.join("wit/deps/io")).unwrap();
        std::fs::write(
            root.join("wit/deps/io/streams.wit"),
            "package wasi:io@0.2.0;\n\ninterface streams {\n  resource input-stream;\n}\n",
        )
        .unwrap();
        assert_eq!(shown(text), vec![]);
        assert_eq!(push_dir_says(&root.join("wit")), None);
        // A name the dependency lacks: the same message as wit-parser's, on the name.
        let typo = text
            .replace("{input-stream}", "{input-streem}")
            .replace("<input-stream>", "<input-streem>");
        std::fs::write(&world, &typo).unwrap();
        let expected = push_dir_says(&root.join("wit")).unwrap();
        let found = shown(&typo);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, expected);
        assert_eq!(found[0].0, "input-streem");
        // The dependency's own errors are its own; it resolves against the other deps.
        let io = root.join("wit/deps/io/streams.wit");
        let broken_dep = "package wasi:io@0.2.0;\n\ninterface streams {\n  use wasi:clocks/monotonic-clock@0.2.0.{instant};\n  resource input-stream;\n}\n";
        assert_eq!(
            findings(&io.to_string_lossy(), broken_dep, &[], &|_| None)[0].message,
            "package 'wasi:clocks@0.2.0' not found. known packages:\n    wasi:io@0.2.0"
        );
        // A binary-encoded dependency (`deps/io.wasm`) counts as wit-parser counts it.
        std::fs::write(&world, text).unwrap();
        let mut encoded = wit_parser::Resolve::default();
        let io = encoded
            .push_source(
                "streams.wit",
                "package wasi:io@0.2.0;\n\ninterface streams {\n  resource input-stream;\n}\n",
            )
            .unwrap();
        std::fs::remove_dir_all(root.join("wit/deps/io")).unwrap();
        std::fs::write(
            root.join("wit/deps/io.wasm"),
            wit_component::encode(&encoded, io).unwrap(),
        )
        .unwrap();
        assert_eq!(push_dir_says(&root.join("wit")), None);
        assert_eq!(shown(text), vec![]);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
