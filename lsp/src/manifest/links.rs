//! Document links: the values of a manifest that name a local file (or, in
//! `wasmcloud.toml`, a folder), linked to it when it is there. Registry references and
//! files not on disk get no link (the latter have a diagnostic instead).

use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use super::tree::Node;
use super::{local_file, toml_tree, wadm, yaml};
use crate::answer::Link;

/// Each component's local image (`file://…` or a path) in a wadm manifest.
pub(crate) fn wadm(path: &Path, text: &str) -> Vec<Link> {
    wadm::local_images(path, text)
        .into_iter()
        .filter(|(_, file)| file.is_file())
        .map(|(range, file)| link(text, range, &file))
        .collect()
}

/// Each local actor module (`actors:`) and provider archive (`image_ref:`) of a host manifest.
pub(crate) fn host(path: &Path, text: &str) -> Vec<Link> {
    let mut out = Vec::new();
    for document in yaml::parse(text).documents {
        let doc = &document.root;
        let items = |key: &str| doc.get(key).map(Node::items).unwrap_or_default();
        let actors = items("actors").iter().map(|actor| (actor, &[".wasm"][..]));
        let archives = items("capabilities")
            .iter()
            .filter_map(|capability| capability.get("image_ref"))
            .map(|image| (image, &[".par", ".par.gz"][..]));
        for (node, extensions) in actors.chain(archives) {
            let Some(written) = node.as_str().and_then(|r| local_file::local_reference(r, extensions)) else {
                continue;
            };
            let file = local_file::resolve(path, written);
            if file.is_file() {
                out.push(link(text, node.range.clone(), &file));
            }
        }
    }
    out
}

/// The project's `path`, `wit` and `build` folders and each `dev.manifests` file of a
/// `wasmcloud.toml`, resolved against its folder.
pub(crate) fn wasmcloud_toml(path: &Path, text: &str) -> Vec<Link> {
    let root = toml_tree::parse(text).root;
    let top = ["path", "wit", "build"].into_iter().filter_map(|key| root.get(key));
    let manifests = root
        .get("dev")
        .and_then(|dev| dev.get("manifests"))
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter_map(|manifest| manifest.get("path"));
    top.chain(manifests)
        .filter_map(|node| {
            let file = local_file::resolve(path, node.as_str().filter(|p| !p.is_empty())?);
            file.exists().then(|| link(text, node.range.clone(), &file))
        })
        .collect()
}

/// A link over a value's text (its quotes left out) to `file`, written without `.` steps.
fn link(text: &str, range: Range<usize>, file: &Path) -> Link {
    let target: PathBuf = file.components().filter(|c| *c != Component::CurDir).collect();
    Link {
        range: unquoted(text, range),
        target,
    }
}

fn unquoted(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(value) = text.get(range.clone()) else {
        return range;
    };
    let quoted = value.len() >= 2
        && ['"', '\'']
            .into_iter()
            .any(|q| value.starts_with(q) && value.ends_with(q));
    if quoted { range.start + 1..range.end - 1 } else { range }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder with the given empty files, removed on drop.
    struct Folder(PathBuf);

    impl Folder {
        fn new(name: &str, files: &[&str]) -> Folder {
            let dir = std::env::temp_dir().join(format!("wasmscope-links-{name}-{}", std::process::id()));
            for file in files {
                let path = dir.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, b"").unwrap();
            }
            Folder(dir)
        }
    }

    impl Drop for Folder {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn shown(text: &str, links: Vec<Link>, root: &Path) -> Vec<(String, String)> {
        links
            .into_iter()
            .map(|l| {
                let target = l.target.strip_prefix(root).unwrap_or(&l.target).display().to_string();
                (text[l.range].to_string(), target)
            })
            .collect()
    }

    #[test]
    fn wadm_local_images_that_exist_are_linked() {
        let folder = Folder::new("wadm", &["build/a.wasm", "b.wasm"]);
        let manifest = folder.0.join("app.wadm.yaml");
        let text = "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: x\nspec:\n  components:\n    - name: a\n      type: component\n      properties:\n        image: \"file://./build/a.wasm\"\n    - name: b\n      type: component\n      properties:\n        image: ../missing.wasm\n    - name: c\n      type: capability\n      properties:\n        image: ghcr.io/wasmcloud/http-server:0.23.0\n";
        assert_eq!(
            shown(text, wadm(&manifest, text), &folder.0),
            [("file://./build/a.wasm".to_string(), "build/a.wasm".to_string())]
        );
    }

    #[test]
    fn host_actors_and_archives_that_exist_are_linked() {
        let folder = Folder::new("host", &["echo.wasm", "p/http.par.gz"]);
        let manifest = folder.0.join("host.yaml");
        let text = "actors:\n  - echo.wasm\n  - './echo.wasm'\n  - ${ECHO}.wasm\n  - wasmcloud.azurecr.io/echo:0.2.0\ncapabilities:\n  - image_ref: ./p/http.par.gz\n    link_name: default\n";
        assert_eq!(
            shown(text, host(&manifest, text), &folder.0),
            [
                ("echo.wasm".to_string(), "echo.wasm".to_string()),
                ("./echo.wasm".to_string(), "echo.wasm".to_string()),
                ("./p/http.par.gz".to_string(), "p/http.par.gz".to_string()),
            ]
        );
    }

    #[test]
    fn wasmcloud_toml_folders_and_dev_manifests_are_linked() {
        let folder = Folder::new("toml", &["wit/world.wit", "dev.wadm.yaml"]);
        let manifest = folder.0.join("wasmcloud.toml");
        let text = "name = \"x\"\nwit = \"wit\"\nbuild = \"out\"\n[[dev.manifests]]\npath = \"dev.wadm.yaml\"\n";
        assert_eq!(
            shown(text, wasmcloud_toml(&manifest, text), &folder.0),
            [
                ("wit".to_string(), "wit".to_string()),
                ("dev.wadm.yaml".to_string(), "dev.wadm.yaml".to_string()),
            ]
        );
    }

    #[test]
    fn broken_text_never_panics() {
        let manifest = Path::new("/nowhere/app.wadm.yaml");
        for text in [
            "image: \"",
            "actors:\n  - '",
            "path = \"",
            "spec:\n  components:\n    - properties: {image: \"é",
        ] {
            for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let prefix = &text[..end];
                let _ = (
                    wadm(manifest, prefix),
                    host(manifest, prefix),
                    wasmcloud_toml(manifest, prefix),
                );
            }
        }
    }
}
