//! Files a manifest refers to on disk (`file://` images, actor modules, provider archives),
//! resolved against the manifest's directory.

use std::path::{Path, PathBuf};

use crate::OpenFiles;

/// The path in a reference to a local file (`file://…`, `./…`, `../…`, `/…`), as written;
/// `None` for registry references (`ghcr.io/org/name:tag`).
pub(crate) fn local_path(reference: &str) -> Option<&str> {
    if let Some(path) = reference.strip_prefix("file://") {
        return Some(path);
    }
    let local = reference.starts_with("./") || reference.starts_with("../") || reference.starts_with('/');
    local.then_some(reference)
}

/// `path` (as written in the manifest at `manifest`) on disk.
pub(crate) fn resolve(manifest: &Path, path: &str) -> PathBuf {
    let path = Path::new(path);
    if path.is_absolute() {
        return path.to_path_buf();
    }
    manifest.parent().unwrap_or(Path::new(".")).join(path)
}

/// Whether the file is there, on disk or open in the editor.
pub(crate) fn exists(path: &Path, open: OpenFiles) -> bool {
    path.is_file() || open(path).is_some()
}

/// A reference that names a local file: a path (`./`, `../`, `/`, `file://`), or a plain name
/// ending in one of `extensions`; never one with `${VAR}` in it (known only at run time).
pub(crate) fn local_reference<'a>(reference: &'a str, extensions: &[&str]) -> Option<&'a str> {
    if reference.contains("${") {
        return None;
    }
    local_path(reference).or_else(|| extensions.iter().any(|e| reference.ends_with(e)).then_some(reference))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_references_are_told_from_registry_ones() {
        assert_eq!(local_path("file://./build/a.wasm"), Some("./build/a.wasm"));
        assert_eq!(local_path("file:///abs/a.wasm"), Some("/abs/a.wasm"));
        assert_eq!(local_path("../a.wasm"), Some("../a.wasm"));
        assert_eq!(local_path("ghcr.io/wasmcloud/http-server:0.23.0"), None);
        assert_eq!(local_path("localhost:5000/a:1"), None);
        assert_eq!(
            resolve(Path::new("/w/app/wadm.yaml"), "./build/a.wasm"),
            Path::new("/w/app/./build/a.wasm")
        );
        assert_eq!(resolve(Path::new("/w/wadm.yaml"), "/abs/a"), Path::new("/abs/a"));
        assert!(!exists(Path::new("/no/such/file"), &|_| None));
        assert!(exists(Path::new("/no/such/file"), &|_| Some(String::new())));
    }
}
