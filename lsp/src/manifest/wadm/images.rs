//! Local images (`file://…` or a path) that are not on disk: an error on the image value.

use std::path::Path;

use super::model::App;
use crate::OpenFiles;
use crate::finding::{Finding, Severity};
use crate::manifest::local_file;

pub(crate) fn findings(manifest: &Path, app: &App<'_>, open: OpenFiles) -> Vec<Finding> {
    let mut out = Vec::new();
    for component in &app.components {
        let Some(image) = component.property("image") else {
            continue;
        };
        let Some(path) = image.as_str().and_then(local_file::local_path) else {
            continue;
        };
        if !local_file::exists(&local_file::resolve(manifest, path), open) {
            out.push(Finding {
                range: image.range.clone(),
                severity: Severity::Error,
                message: format!("image file `{path}` does not exist"),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::yaml;

    #[test]
    fn a_missing_local_image_is_an_error_on_its_value() {
        let dir = std::env::temp_dir().join(format!("wasmscope-images-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("build")).unwrap();
        std::fs::write(dir.join("build/there.wasm"), b"\0asm").unwrap();
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
}
