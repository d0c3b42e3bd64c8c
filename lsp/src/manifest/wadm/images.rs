//! Local images (`file://…` or a path): an error on the image value when the file is not on
//! disk or is not valid WebAssembly, a warning when its signed claims do not verify; and the
//! file's summary (claims, world, imports and exports) for a hover on the value.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::model::{App, Component};
use crate::OpenFiles;
use crate::finding::{Finding, Severity};
use crate::manifest::local_file;
use crate::manifest::tree::Node;
use crate::manifest::wasm_file::{self, Wasm};

/// A component's local image: the value, the path as written and where it is on disk.
pub(crate) struct LocalImage<'a> {
    pub node: &'a Node,
    pub written: &'a str,
    pub path: PathBuf,
}

pub(crate) fn local_image<'a>(manifest: &Path, component: &Component<'a>) -> Option<LocalImage<'a>> {
    let node = component.property("image")?;
    let written = node.as_str().and_then(local_file::local_path)?;
    Some(LocalImage {
        node,
        written,
        path: local_file::resolve(manifest, written),
    })
}

/// The image read from disk; `None` when it is not there (or only open in the editor).
pub(crate) fn read(image: &LocalImage<'_>) -> Option<wasm_file::Read> {
    image.path.is_file().then(|| wasm_file::read(&image.path))
}

pub(crate) fn findings(manifest: &Path, app: &App<'_>, open: OpenFiles) -> Vec<Finding> {
    let mut out = Vec::new();
    for component in &app.components {
        let Some(image) = local_image(manifest, component) else {
            continue;
        };
        let range = image.node.range.clone();
        let written = image.written;
        if !local_file::exists(&image.path, open) {
            out.push(error(range, format!("image file `{written}` does not exist")));
            continue;
        }
        let Some(read) = read(&image) else { continue };
        out.extend(wasm_findings(range, "image file", written, &read));
    }
    out
}

/// An error for a file that is not usable WebAssembly, a warning for claims that do not
/// verify (`what`: how the manifest calls the file).
pub(crate) fn wasm_findings(
    range: Range<usize>,
    what: &str,
    written: &str,
    read: &Result<Wasm, String>,
) -> Vec<Finding> {
    match read {
        Err(e) => vec![error(range, format!("{what} `{written}` {e}"))],
        Ok(wasm) => match &wasm.claims {
            Some(Err(e)) => vec![warning(
                range,
                format!("{what} `{written}` has claims that cannot be read: {e}"),
            )],
            Some(Ok(claims)) if !claims.problems.is_empty() => vec![warning(
                range,
                format!(
                    "{what} `{written}` has signed claims that are not valid: {}",
                    claims.problems.join("; ")
                ),
            )],
            _ => Vec::new(),
        },
    }
}

/// The summary of the image whose value is at `offset`.
pub(crate) fn hover(manifest: &Path, app: &App<'_>, offset: usize) -> Option<(Range<usize>, String)> {
    let image = app
        .components
        .iter()
        .filter_map(|c| local_image(manifest, c))
        .find(|i| i.node.range.start <= offset && offset <= i.node.range.end)?;
    Some((image.node.range.clone(), summary(&image.path, image.written)))
}

/// Markdown about the local file at `path` (written `written` in the manifest).
pub(crate) fn summary(path: &Path, written: &str) -> String {
    if !path.is_file() {
        return format!("**`{written}`**: does not exist");
    }
    match &*wasm_file::read(path) {
        Ok(wasm) => wasm.markdown(written),
        Err(e) => format!("**`{written}`**: {e}"),
    }
}

fn error(range: Range<usize>, message: String) -> Finding {
    Finding {
        range,
        severity: Severity::Error,
        message,
    }
}

fn warning(range: Range<usize>, message: String) -> Finding {
    Finding {
        range,
        severity: Severity::Warning,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::wasm_file::fixtures;
    use crate::manifest::yaml;

    #[test]
    fn a_missing_local_image_is_an_error_on_its_value() {
        let dir = std::env::temp_dir().join(format!("wasmscope-images-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("build")).unwrap();
        std::fs::write(dir.join("build/there.wasm"), b"\0asm\x01\0\0\0").unwrap();
        let text = "spec:\n  components:\n    - properties:\n        image: file://./build/there.wasm\n    - properties:\n        image: file://./build/gone.wasm\n    - properties:\n        image: ./gone.wasm\n    - properties:\n        image: ghcr.io/a/b:1\n";
        let doc = yaml::parse(text).documents[0].root.clone();
        let manifest = dir.join("wadm.yaml");
        let found = findings(&manifest, &App::read(&doc), &|_| None);
        let shown: Vec<(&str, &str)> = found
            .iter()
            .map(|f| (&text[f.range.clone()], f.message.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "file://./build/gone.wasm",
                    "image file `./build/gone.wasm` does not exist"
                ),
                ("./gone.wasm", "image file `./gone.wasm` does not exist"),
            ]
        );
        // A file the editor has open but not saved counts as there.
        let gone = dir.join("./gone.wasm");
        assert_eq!(
            findings(&manifest, &App::read(&doc), &|p| (p == gone).then(String::new)).len(),
            1
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn corrupt_images_are_errors_and_bad_claims_warnings_with_a_summary_on_hover() {
        let dir = std::env::temp_dir().join(format!("wasmscope-images-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("corrupt.wasm"), b"\0asm\x01\0\0\0\x01\x05").unwrap();
        let (expired, _) = fixtures::sign(&fixtures::module(), &["wasmcloud:keyvalue"], Some(1_000_000_000));
        std::fs::write(dir.join("expired.wasm"), &expired).unwrap();
        let (good, subject) = fixtures::sign(&fixtures::module(), &["wasmcloud:keyvalue"], None);
        std::fs::write(dir.join("good.wasm"), &good).unwrap();
        let text = "spec:\n  components:\n    - properties:\n        image: file://corrupt.wasm\n    - properties:\n        image: file://expired.wasm\n    - properties:\n        image: ./good.wasm\n";
        let doc = yaml::parse(text).documents[0].root.clone();
        let manifest = dir.join("wadm.yaml");
        let app = App::read(&doc);
        let found: Vec<(String, Severity, String)> = findings(&manifest, &app, &|_| None)
            .into_iter()
            .map(|f| (text[f.range].to_string(), f.severity, f.message))
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            found[0],
            (
                "file://corrupt.wasm".to_string(),
                Severity::Error,
                "image file `corrupt.wasm` is not valid WebAssembly: unexpected end-of-file (at offset 0xa)"
                    .to_string()
            )
        );
        assert_eq!(
            (found[1].0.as_str(), found[1].1),
            ("file://expired.wasm", Severity::Warning)
        );
        assert!(
            found[1]
                .2
                .starts_with("image file `expired.wasm` has signed claims that are not valid: the claims expired "),
            "{}",
            found[1].2
        );
        let (range, markdown) = hover(&manifest, &app, text.find("./good").unwrap() + 2).unwrap();
        assert_eq!(&text[range], "./good.wasm");
        assert!(markdown.starts_with("**`./good.wasm`**: core module, "), "{markdown}");
        assert!(markdown.contains(&subject));
        let (_, markdown) = hover(&manifest, &app, text.find("corrupt").unwrap()).unwrap();
        assert_eq!(
            markdown,
            "**`corrupt.wasm`**: is not valid WebAssembly: unexpected end-of-file (at offset 0xa)"
        );
        assert_eq!(hover(&manifest, &app, 0), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
