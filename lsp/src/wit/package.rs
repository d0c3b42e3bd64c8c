//! A WIT package: every `.wit` file of one directory, parsed together with `wit-parser` so
//! that what the editor says matches what the toolchain says; and the packages it `use`s
//! from elsewhere, found where `wit-parser`'s `Resolve::push_dir` (and so `wasm-tools` and
//! `wit-bindgen`) finds them: in the `deps/` folder next to the package's files, each entry a
//! directory (one package), a single `.wit` file or a binary-encoded package (`.wasm`). A
//! package inside `deps/` resolves against the other entries of that folder.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use wit_parser::{ParseError, Resolve, SourceMap, UnresolvedPackageGroup};

use crate::manifest::wasm_file::World;

/// Parses `path` (with `text`) and its siblings (`package`: path and text of each).
pub(crate) fn parse(
    path: &str,
    text: &str,
    package: &[(String, String)],
) -> Result<UnresolvedPackageGroup, (SourceMap, ParseError)> {
    let mut map = SourceMap::new();
    map.push_str(path, text);
    for (sibling, sibling_text) in package {
        map.push_str(sibling, sibling_text.as_str());
    }
    map.parse()
}

fn is_deps(dir: &Path) -> bool {
    dir.file_name().is_some_and(|n| n == "deps")
}

/// The other `.wit` files of the directory `path` is in; none for a single-file package in
/// a `deps/` folder.
pub(crate) fn package_siblings(path: &Path) -> Vec<PathBuf> {
    let Some(dir) = path.parent() else { return Vec::new() };
    if is_deps(dir) {
        return Vec::new();
    }
    wit_files(dir)
        .into_iter()
        .filter(|p| p.file_name() != path.file_name())
        .collect()
}

/// The `.wit` files of `dir`, sorted.
fn wit_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "wit") && p.is_file())
        .collect();
    files.sort();
    files
}

/// The dependency packages of the package `path` belongs to: each entry of its `deps/`
/// folder (a directory or a `.wit` file), sorted by name, its own package left out.
pub(crate) fn dependency_entries(path: &Path) -> Vec<PathBuf> {
    let Some(dir) = path.parent() else { return Vec::new() };
    let (deps, own) = if is_deps(dir) {
        (dir.to_path_buf(), path.to_path_buf())
    } else if dir.parent().is_some_and(is_deps) {
        (dir.parent().unwrap_or(dir).to_path_buf(), dir.to_path_buf())
    } else {
        (dir.join("deps"), PathBuf::new())
    };
    let Ok(entries) = std::fs::read_dir(&deps) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| *p != own && (p.is_dir() || p.extension().is_some_and(|e| e == "wit" || e == "wasm")))
        .collect();
    found.sort();
    found
}

/// The `.wit` files of one dependency entry, with their text (from the editor when open).
pub(crate) fn entry_files(entry: &Path, open: &dyn Fn(&Path) -> Option<String>) -> Vec<(PathBuf, String)> {
    let files = if entry.is_dir() {
        wit_files(entry)
    } else {
        vec![entry.to_path_buf()]
    };
    files
        .into_iter()
        .filter_map(|file| {
            let text = open(&file).or_else(|| std::fs::read_to_string(&file).ok())?;
            Some((file, text))
        })
        .collect()
}

/// The package name (`ns:name`, no version) a dependency entry declares, read from its files.
pub(crate) fn entry_package(files: &[(PathBuf, String)]) -> Option<String> {
    files.iter().find_map(|(_, text)| declared_package(text))
}

/// `ns:name` of the first `package ns:name…` declaration of a WIT text.
fn declared_package(text: &str) -> Option<String> {
    let tokens: Vec<&str> = super::lexer::lex(text)
        .into_iter()
        .filter(|t| {
            !matches!(
                t.kind,
                super::lexer::Kind::LineComment | super::lexer::Kind::BlockComment
            )
        })
        .map(|t| &text[t.range])
        .collect();
    let at = tokens.iter().position(|t| *t == "package")?;
    match tokens.get(at + 1..at + 4)? {
        [ns, ":", name] => Some(format!(
            "{}:{}",
            ns.trim_start_matches('%'),
            name.trim_start_matches('%')
        )),
        _ => None,
    }
}

/// What the `.wit` files under `dir` (its `deps/` included) are on disk: path, modification
/// time and length of each, to tell when something parsed from them is stale.
fn fingerprint(dir: &Path) -> Vec<(PathBuf, SystemTime, u64)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = std::fs::metadata(&path) else { continue };
            if meta.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "wit") {
                out.push((path, meta.modified().unwrap_or(UNIX_EPOCH), meta.len()));
            }
        }
    }
    out.sort();
    out
}

type Stamped<T> = HashMap<PathBuf, (Vec<(PathBuf, SystemTime, u64)>, T)>;

/// Parsed dependency entries that no open file overrides, by entry, while their files are
/// unchanged on disk: a keystroke in a package does not parse its dependencies again.
fn parsed_entries() -> &'static Mutex<Stamped<Option<UnresolvedPackageGroup>>> {
    static CACHE: OnceLock<Mutex<Stamped<Option<UnresolvedPackageGroup>>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn parse_entry(entry: &Path, open: &dyn Fn(&Path) -> Option<String>) -> Option<UnresolvedPackageGroup> {
    let parse = || {
        let mut map = SourceMap::new();
        for (file, text) in entry_files(entry, open) {
            map.push_str(&file.to_string_lossy(), text);
        }
        map.parse().ok()
    };
    let stamp = if entry.is_dir() {
        fingerprint(entry)
    } else {
        fingerprint_file(entry).into_iter().collect()
    };
    if stamp.iter().any(|(file, _, _)| open(file).is_some()) {
        return parse();
    }
    let mut cache = parsed_entries().lock().unwrap_or_else(|p| p.into_inner());
    if let Some((seen, group)) = cache.get(entry)
        && *seen == stamp
    {
        return group.clone();
    }
    let group = parse();
    cache.insert(entry.to_path_buf(), (stamp, group.clone()));
    group
}

/// What a package's dependencies are: each file of each `deps/` entry with its modification
/// time and length, and its text when the editor has it open. Equal states resolve alike.
pub(crate) type DependencyState = Vec<(PathBuf, SystemTime, u64, Option<String>)>;

pub(crate) fn dependency_state(path: &Path, open: &dyn Fn(&Path) -> Option<String>) -> DependencyState {
    dependency_entries(path)
        .iter()
        .flat_map(|entry| {
            if entry.is_dir() {
                fingerprint(entry)
            } else {
                fingerprint_file(entry).into_iter().collect()
            }
        })
        .map(|(file, modified, len)| {
            let text = open(&file);
            (file, modified, len, text)
        })
        .collect()
}

fn fingerprint_file(path: &Path) -> Option<(PathBuf, SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((path.to_path_buf(), meta.modified().unwrap_or(UNIX_EPOCH), meta.len()))
}

fn is_wasm(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "wasm")
}

/// Parses each dependency entry that parses (one that does not shows its own errors).
fn dependency_groups(path: &Path, open: &dyn Fn(&Path) -> Option<String>) -> Vec<UnresolvedPackageGroup> {
    dependency_entries(path)
        .iter()
        .filter(|entry| !is_wasm(entry))
        .filter_map(|entry| parse_entry(entry, open))
        .collect()
}

/// The binary-encoded WIT packages (`deps/*.wasm`) among the dependencies, decoded, each
/// with its own dependencies (as `wit-component` encodes them).
fn encoded_dependencies(path: &Path) -> Vec<Resolve> {
    dependency_entries(path)
        .iter()
        .filter(|entry| is_wasm(entry))
        .filter_map(|entry| match wit_component::decode(&std::fs::read(entry).ok()?) {
            Ok(wit_component::DecodedWasm::WitPackage(resolve, _)) => Some(resolve),
            _ => None,
        })
        .collect()
}

/// Where resolution of a package with its dependencies failed: the file, the byte range in
/// it and `wit-parser`'s message.
pub(crate) struct ResolveProblem {
    pub path: String,
    pub range: std::ops::Range<usize>,
    pub message: String,
}

/// Resolves a parsed package against its dependencies as `Resolve::push_dir` does; the
/// first problem, if any.
pub(crate) fn resolve(
    path: &Path,
    group: UnresolvedPackageGroup,
    open: &dyn Fn(&Path) -> Option<String>,
) -> Option<ResolveProblem> {
    let deps = dependency_groups(path, open);
    let encoded = encoded_dependencies(path);
    std::panic::catch_unwind(move || {
        let mut resolve = Resolve::default();
        for package in encoded {
            // As `Resolve::push_dir` does with `deps/*.wasm`; one that does not merge is skipped.
            let _ = resolve.merge(package);
        }
        let error = resolve.push_groups(group, deps).err()?;
        let kind = error.kind();
        let at = resolve.source_map.resolve_span(kind.span());
        Some(ResolveProblem {
            path: at.as_ref().map(|a| a.path.to_string()).unwrap_or_default(),
            range: at.map(|a| a.range).unwrap_or(0..0),
            message: kind.to_string(),
        })
    })
    .unwrap_or(None)
}

/// The world of the WIT package in `dir` (with its `deps/`): its only world, or the one
/// named `name`.
pub(crate) fn dir_world(dir: &Path, name: Option<&str>) -> Option<World> {
    if !dir.is_dir() {
        return None;
    }
    static CACHE: OnceLock<Mutex<Stamped<Option<World>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = dir.join(name.unwrap_or_default());
    let stamp = fingerprint(dir);
    if let Some((seen, world)) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key)
        && *seen == stamp
    {
        return world.clone();
    }
    let world = resolve_dir_world(dir, name);
    cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key, (stamp, world.clone()));
    world
}

fn resolve_dir_world(dir: &Path, name: Option<&str>) -> Option<World> {
    let dir = dir.to_path_buf();
    let name = name.map(str::to_string);
    std::panic::catch_unwind(move || {
        let mut resolve = Resolve::default();
        let (package, _) = resolve.push_dir(&dir).ok()?;
        let world = resolve
            .select_world(&[package], None)
            .ok()
            .or_else(|| resolve.select_world(&[package], name.as_deref()).ok())?;
        Some(World::from_resolve(&resolve, world))
    })
    .unwrap_or(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_are_found_where_wit_parser_looks() {
        let root = std::env::temp_dir().join(format!("wasmscope-wit-deps-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (file, text) in [
            ("wit/world.wit", "package a:b;"),
            ("wit/deps/http/types.wit", "// types\npackage wasi:http@0.2.0;"),
            ("wit/deps/http/handler.wit", "package wasi:http@0.2.0;"),
            ("wit/deps/io.wit", "package wasi:io@0.2.0;"),
            ("wit/deps/notes.txt", ""),
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
        }
        let rel = |paths: Vec<PathBuf>| -> Vec<String> {
            paths
                .iter()
                .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
                .collect()
        };
        assert_eq!(
            rel(dependency_entries(&root.join("wit/world.wit"))),
            ["wit/deps/http", "wit/deps/io.wit"]
        );
        assert_eq!(
            rel(dependency_entries(&root.join("wit/deps/http/types.wit"))),
            ["wit/deps/io.wit"]
        );
        assert_eq!(
            rel(dependency_entries(&root.join("wit/deps/io.wit"))),
            ["wit/deps/http"]
        );
        assert_eq!(package_siblings(&root.join("wit/deps/io.wit")), Vec::<PathBuf>::new());
        assert_eq!(
            rel(package_siblings(&root.join("wit/deps/http/types.wit"))),
            ["wit/deps/http/handler.wit"]
        );
        let files = entry_files(&root.join("wit/deps/http"), &|_| None);
        assert_eq!(entry_package(&files).as_deref(), Some("wasi:http"));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
