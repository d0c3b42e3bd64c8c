//! The workspace: where its folders are, which files in them the server reads, and the file
//! watcher the server asks the client for.

use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, InitializeParams, Registration, Uri,
};

use super::documents::path_of;
use crate::Language;

/// Directories never searched: build output, dependencies, version control.
const SKIPPED: &[&str] = &["target", "node_modules", ".git"];

/// What the client watches for the server: the files it reads, and the `.wasm` files
/// manifests point at (a rebuilt component changes what its manifest's links may name).
pub(super) const WATCHED: &[&str] = &["**/*.{wit,widl,yaml,yml}", "**/wasmcloud.toml", "**/*.wasm"];

/// The workspace folders of an `initialize` request, or its root.
pub(super) fn roots(params: &InitializeParams) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter(|f| f.uri.scheme().as_str() == "file")
        .map(|f| path_of(&f.uri))
        .collect();
    if !folders.is_empty() {
        return folders;
    }
    #[allow(deprecated)] // Older clients send only `rootUri` (or `rootPath`).
    let root = params
        .root_uri
        .as_ref()
        .filter(|uri| uri.scheme().as_str() == "file")
        .map(path_of)
        .or_else(|| params.root_path.as_ref().map(PathBuf::from));
    root.into_iter().collect()
}

/// Whether the client can be asked to watch files.
pub(super) fn can_watch(params: &InitializeParams) -> bool {
    params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false)
}

pub(super) fn watcher_registration() -> Registration {
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: WATCHED
            .iter()
            .map(|pattern| FileSystemWatcher {
                glob_pattern: GlobPattern::String(pattern.to_string()),
                kind: None,
            })
            .collect(),
    };
    Registration {
        id: "wasmscope-watched-files".into(),
        method: "workspace/didChangeWatchedFiles".into(),
        register_options: serde_json::to_value(options).ok(),
    }
}

/// Every file under `roots` whose name may be of a language the server reads, sorted.
pub(super) fn scan(roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending: Vec<PathBuf> = roots.to_vec();
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            // Symbolic links are not followed: no cycles, no files outside the workspace.
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                if !SKIPPED.contains(&name.as_str()) {
                    pending.push(entry.path());
                }
            } else if kind.is_file() && Language::may_be(&name) {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    files.dedup();
    files
}

/// Whether `path` is in a directory the scan skips (relative to nothing: any component).
pub(super) fn is_skipped(path: &Path) -> bool {
    path.components().any(|c| SKIPPED.iter().any(|s| c.as_os_str() == *s))
}

/// A `file:` URI for a path the server found itself.
pub(super) fn uri_of(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_finds_the_files_the_server_reads_and_skips_build_output() {
        let root = std::env::temp_dir().join(format!("wasmscope-scan-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for file in [
            "wit/a.wit",
            "wit/deps/b.wit",
            "api.widl",
            "wadm.yaml",
            "ci.yml",
            "wasmcloud.toml",
            "Cargo.toml",
            "notes.txt",
            "target/x.wit",
            "node_modules/y.wit",
            ".git/z.wit",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "").unwrap();
        }
        let found: Vec<String> = scan(std::slice::from_ref(&root))
            .iter()
            .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(
            found,
            [
                "api.widl",
                "ci.yml",
                "wadm.yaml",
                "wasmcloud.toml",
                "wit/a.wit",
                "wit/deps/b.wit"
            ]
        );
        assert!(is_skipped(Path::new("/w/target/a.wit")));
        assert!(!is_skipped(Path::new("/w/targets/a.wit")));
    }

    #[test]
    fn roots_from_folders_or_root_uri() {
        let params: InitializeParams = serde_json::from_value(serde_json::json!({
            "capabilities": { "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } },
            "rootUri": "file:///r",
            "workspaceFolders": [{ "uri": "file:///a", "name": "a" }, { "uri": "file:///b", "name": "b" }],
        }))
        .unwrap();
        assert_eq!(roots(&params), [PathBuf::from("/a"), PathBuf::from("/b")]);
        assert!(can_watch(&params));
        let params: InitializeParams =
            serde_json::from_value(serde_json::json!({ "capabilities": {}, "rootUri": "file:///r" })).unwrap();
        assert_eq!(roots(&params), [PathBuf::from("/r")]);
        assert!(!can_watch(&params));
        let params: InitializeParams =
            serde_json::from_value(serde_json::json!({ "capabilities": {}, "rootUri": null })).unwrap();
        assert!(roots(&params).is_empty());
    }
}
