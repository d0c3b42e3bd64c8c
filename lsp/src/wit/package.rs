//! A WIT package: every `.wit` file of one directory, parsed together with `wit-parser` so
//! that what the editor says matches what the toolchain says.

use std::path::{Path, PathBuf};

use wit_parser::{ParseError, SourceMap, UnresolvedPackageGroup};

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

/// The other `.wit` files of the directory `path` is in.
pub(crate) fn package_siblings(path: &Path) -> Vec<PathBuf> {
    let Some(dir) = path.parent() else { return Vec::new() };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut siblings: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "wit") && p.file_name() != path.file_name())
        .collect();
    siblings.sort();
    siblings
}
