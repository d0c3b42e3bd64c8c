//! Go to definition on a name of another package (`use wasi:io/streams@0.2.0.{input-stream}`,
//! `import wasi:cli/environment@0.2.0;`, `include wasi:cli/imports@0.2.0;`): into the file of
//! the `deps/` folder that declares that package, where `wit-parser` would resolve it.

use std::path::{Path, PathBuf};

use super::index::{Index, Scope, Sym};
use super::lexer::{Kind, lex};
use super::package::{dependency_entries, entry_files, entry_package};
use crate::answer::Location;

/// What a foreign path at the cursor names.
#[derive(Debug, PartialEq, Eq)]
enum Named {
    /// The package itself (the cursor on its namespace or name).
    Package,
    Interface(String),
    World(String),
    /// A type of an interface (`use ns:pkg/iface.{name}`).
    Type(String, String),
}

/// The package (`ns:name`) and item the foreign path around `offset` names.
fn named_at(text: &str, offset: usize) -> Option<(String, Named)> {
    let tokens: Vec<(Kind, std::ops::Range<usize>)> = lex(text)
        .into_iter()
        .filter(|t| !matches!(t.kind, Kind::LineComment | Kind::BlockComment))
        .map(|t| (t.kind, t.range))
        .collect();
    let word = |i: usize| -> &str { tokens.get(i).map(|(_, r)| &text[r.clone()]).unwrap_or("") };
    let cursor = tokens
        .iter()
        .position(|(kind, r)| matches!(kind, Kind::Word | Kind::ExplicitId) && r.start <= offset && offset <= r.end)?;
    // The statement the cursor is in starts at `use`, `import`, `export` or `include`.
    let mut start = cursor;
    loop {
        match word(start) {
            "use" | "import" | "export" | "include" => break,
            ";" => return None,
            _ if start == 0 => return None,
            _ => start -= 1,
        }
    }
    let include = word(start) == "include";
    let mut at = start + 1;
    // `import label: ns:pkg/…`
    if word(at + 1) == ":" && word(at + 3) == ":" {
        at += 2;
    }
    if word(at + 1) != ":" {
        return None;
    }
    let (ns, pkg) = (at, at + 2);
    let package = format!(
        "{}:{}",
        word(ns).trim_start_matches('%'),
        word(pkg).trim_start_matches('%')
    );
    if cursor == ns || cursor == pkg {
        return Some((package, Named::Package));
    }
    if word(pkg + 1) != "/" {
        return None;
    }
    let item = pkg + 2;
    let item_name = word(item).trim_start_matches('%').to_string();
    if cursor == item {
        let named = if include {
            Named::World(item_name)
        } else {
            Named::Interface(item_name)
        };
        return Some((package, named));
    }
    // After the version: `.{a, b as c}`; the cursor on a name that is not a renaming.
    let open = (item..tokens.len())
        .take_while(|&i| word(i) != ";")
        .find(|&i| word(i) == "{")?;
    if cursor > open && word(cursor - 1) != "as" {
        return Some((
            package,
            Named::Type(item_name, word(cursor).trim_start_matches('%').to_string()),
        ));
    }
    None
}

/// Where the foreign name at `offset` of the WIT file `path` is defined in its `deps/`.
pub(crate) fn definition(
    path: &Path,
    text: &str,
    offset: usize,
    open: &dyn Fn(&Path) -> Option<String>,
) -> Option<Location> {
    let (package, named) = named_at(text, offset)?;
    let files = dependency_entries(path)
        .iter()
        .map(|entry| entry_files(entry, open))
        .find(|files| entry_package(files).as_deref() == Some(package.as_str()))?;
    let names: Vec<(String, String)> = files
        .iter()
        .map(|(p, t)| (p.to_string_lossy().into_owned(), t.clone()))
        .collect();
    let borrowed: Vec<(&str, &str)> = names.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let index = Index::new(&borrowed);
    let sym = match named {
        Named::Package => return package_declaration(&files),
        Named::Interface(name) => Sym::Interface(name),
        Named::World(name) => Sym::World(name),
        Named::Type(interface, name) => {
            let sym = index.resolve_type(&Scope::Interface(interface), &name)?;
            index.original(&sym)
        }
    };
    let site = index.definitions.get(&sym)?.site;
    Some(Location {
        path: PathBuf::from(index.files[site.file].path),
        range: index.range(site),
    })
}

/// The `ns:name` of the first `package` declaration among `files`.
fn package_declaration(files: &[(PathBuf, String)]) -> Option<Location> {
    files.iter().find_map(|(path, text)| {
        let tokens: Vec<_> = lex(text)
            .into_iter()
            .filter(|t| !matches!(t.kind, Kind::LineComment | Kind::BlockComment))
            .collect();
        let at = tokens.iter().position(|t| &text[t.range.clone()] == "package")?;
        let last = tokens.get(at + 3)?;
        Some(Location {
            path: path.clone(),
            range: tokens.get(at + 1)?.range.start..last.range.end,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WORLD: &str = "package demo:app;\n\ninterface api {\n  use wasi:io/streams@0.2.0.{input-stream, output-stream as out};\n  read: func(s: borrow<input-stream>);\n}\n\nworld app {\n  import wasi:io/streams@0.2.0;\n  import errs: wasi:io/error@0.2.0;\n  include wasi:io/imports@0.2.0;\n}\n";
    const STREAMS: &str = "package wasi:io@0.2.0;\n\ninterface streams {\n  use error.{error};\n  resource input-stream {\n  }\n  resource output-stream {\n  }\n}\n";
    const ERROR: &str =
        "package wasi:io@0.2.0;\n\ninterface error {\n  resource error;\n}\n\nworld imports {\n  import streams;\n}\n";

    fn at(text: &str, needle: &str, nth: usize) -> usize {
        text.match_indices(needle).nth(nth).unwrap().0
    }

    #[test]
    fn foreign_names_lead_into_the_deps_folder() {
        let root = std::env::temp_dir().join(format!("wasmscope-wit-foreign-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("wit/deps/io")).unwrap();
        std::fs::write(root.join("wit/world.wit"), WORLD).unwrap();
        std::fs::write(root.join("wit/deps/io/streams.wit"), STREAMS).unwrap();
        std::fs::write(root.join("wit/deps/io/error.wit"), ERROR).unwrap();
        let world = root.join("wit/world.wit");
        let streams = root.join("wit/deps/io/streams.wit");
        let error = root.join("wit/deps/io/error.wit");
        let go = |offset: usize| definition(&world, WORLD, offset, &|_| None);
        let loc = |path: &Path, text: &str, needle: &str, nth: usize| {
            let start = at(text, needle, nth);
            Some(Location {
                path: path.to_path_buf(),
                range: start..start + needle.len(),
            })
        };
        assert_eq!(go(at(WORLD, "streams", 0) + 1), loc(&streams, STREAMS, "streams", 0));
        assert_eq!(
            go(at(WORLD, "input-stream", 0)),
            loc(&streams, STREAMS, "input-stream", 0)
        );
        assert_eq!(
            go(at(WORLD, "output-stream", 0)),
            loc(&streams, STREAMS, "output-stream", 0)
        );
        assert_eq!(go(at(WORLD, "out}", 0)), None);
        assert_eq!(go(at(WORLD, "streams", 1)), loc(&streams, STREAMS, "streams", 0));
        assert_eq!(go(at(WORLD, "error@", 0)), loc(&error, ERROR, "error", 0));
        assert_eq!(go(at(WORLD, "imports@", 0)), loc(&error, ERROR, "imports", 0));
        assert_eq!(go(at(WORLD, "wasi", 0)), loc(&error, ERROR, "wasi:io", 0));
        // Names of this package are not foreign; nor are keywords.
        assert_eq!(go(at(WORLD, "api", 0)), None);
        assert_eq!(go(at(WORLD, "func", 0)), None);
        // The unsaved text of an open dependency counts.
        let edited = STREAMS.replace("interface streams", "\n\ninterface streams");
        let moved = definition(&world, WORLD, at(WORLD, "streams", 0), &|p| {
            (p == streams).then(|| edited.clone())
        });
        assert_eq!(moved.unwrap().range.start, at(&edited, "streams", 0));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
