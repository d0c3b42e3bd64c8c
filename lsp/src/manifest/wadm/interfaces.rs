//! A link's interfaces against the WIT worlds of the components it joins: the source must
//! import each of `namespace:package/interfaces`, the target must export it. A component's
//! world is the one embedded in its `file://` image (a component); when its image is not on
//! disk (not built yet, or a registry reference), the world of the `wit/` folder next to the
//! manifest (resolved with its `deps/`, as `wit-parser` does) stands for it — for a component
//! of type `component` whose local image is missing, or for the application's only one.
//! Components with no known world (capability providers, core modules) are not checked.

use std::path::Path;

use super::images;
use super::model::{App, Component};
use crate::answer::{Completion, CompletionKind};
use crate::finding::{Finding, Severity};
use crate::manifest::tree::Node;
use crate::manifest::wasm_file::World;

/// The WIT world of a component, if it can be known.
pub(crate) fn world_of(manifest: &Path, app: &App<'_>, component: &Component<'_>) -> Option<World> {
    let image = images::local_image(manifest, component);
    if let Some(image) = &image
        && let Some(read) = images::read(image)
    {
        return read.as_ref().as_ref().ok()?.world.clone();
    }
    if component.kind != Some("component") {
        return None;
    }
    let only = app.components.iter().filter(|c| c.kind == Some("component")).count() == 1;
    if image.is_none() && !only {
        return None;
    }
    let dir = manifest.parent()?.join("wit");
    crate::wit::dir_world(&dir, component.name_str())
}

pub(crate) fn findings(manifest: &Path, app: &App<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut worlds: Vec<Option<Option<World>>> = vec![None; app.components.len()];
    let mut world = |index: usize| -> Option<World> {
        worlds[index]
            .get_or_insert_with(|| world_of(manifest, app, &app.components[index]))
            .clone()
    };
    for (source_index, source) in app.components.iter().enumerate() {
        for (_, link) in source.links() {
            let (Some(namespace), Some(package)) = (
                link.namespace.and_then(Node::as_str),
                link.package.and_then(Node::as_str),
            ) else {
                continue;
            };
            let target_index = link
                .target_name()
                .and_then(|name| app.components.iter().position(|c| c.name_str() == Some(name)));
            let sides = [(Some(source_index), false), (target_index, true)];
            for (index, export) in sides {
                let Some(index) = index else { continue };
                let Some(world) = world(index) else { continue };
                let name = app.components[index].name_str().unwrap_or("?");
                for interface in &link.interfaces {
                    let interface_name = interface.as_str().unwrap_or_default();
                    if world.has(export, namespace, package, interface_name) {
                        continue;
                    }
                    let (verb, role) = if export {
                        ("export", "target")
                    } else {
                        ("import", "source")
                    };
                    out.push(Finding {
                        range: interface.range.clone(),
                        severity: Severity::Error,
                        message: format!(
                            "the link's {role} `{name}` does not {verb} `{namespace}:{package}/{interface_name}`: its world `{}` {verb}s {}",
                            world.name,
                            world.list(export)
                        ),
                    });
                }
            }
        }
    }
    out
}

/// The interfaces of `namespace:package` (or of any package when not given) that the
/// target's world exports, for a link's `interfaces`; `bracketed` puts each in a flow list.
pub(crate) fn completions(
    manifest: &Path,
    app: &App<'_>,
    target: &str,
    namespace: Option<&str>,
    package: Option<&str>,
    bracketed: bool,
) -> Vec<Completion> {
    let Some(component) = app.component(target) else {
        return Vec::new();
    };
    let Some(world) = world_of(manifest, app, component) else {
        return Vec::new();
    };
    world
        .exports
        .iter()
        .filter_map(|item| {
            let (ns, pkg) = item.package.as_ref()?;
            let wanted = namespace.is_none_or(|n| n == ns) && package.is_none_or(|p| p == pkg);
            wanted.then(|| Completion {
                label: item.name.clone(),
                kind: CompletionKind::Value,
                detail: Some(item.id.clone()),
                documentation: Some(format!("exported by `{target}` (world `{}`)", world.name)),
                insert_text: bracketed.then(|| format!("[{}]", item.name)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::wasm_file::fixtures;
    use crate::manifest::yaml;

    pub(crate) const WIT: &str = "package demo:app@0.1.0;\n\ninterface store {\n  get: func(key: string) -> option<string>;\n}\n\ninterface handler {\n  handle: func(body: string) -> string;\n}\n\nworld caller {\n  import store;\n  import handler;\n}\n\nworld callee {\n  export store;\n  export handler;\n}\n";

    fn app(source_image: &str, target_image: &str, interfaces: &str) -> String {
        format!(
            "spec:\n  components:\n    - name: caller\n      type: component\n      properties:\n        image: {source_image}\n      traits:\n        - type: link\n          properties:\n            target: callee\n            namespace: demo\n            package: app\n            interfaces: {interfaces}\n    - name: callee\n      type: component\n      properties:\n        image: {target_image}\n"
        )
    }

    fn check(dir: &Path, text: &str) -> Vec<(String, String)> {
        let doc = yaml::parse(text).documents[0].root.clone();
        findings(&dir.join("wadm.yaml"), &App::read(&doc))
            .into_iter()
            .map(|f| (text[f.range].to_string(), f.message))
            .collect()
    }

    #[test]
    fn link_interfaces_are_checked_against_embedded_worlds() {
        let dir = std::env::temp_dir().join(format!("wasmscope-links-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("caller.wasm"), fixtures::component(WIT, "caller")).unwrap();
        std::fs::write(dir.join("callee.wasm"), fixtures::component(WIT, "callee")).unwrap();
        let text = app("file://caller.wasm", "file://callee.wasm", "[store, handler]");
        assert_eq!(check(&dir, &text), vec![]);
        let text = app("file://caller.wasm", "file://callee.wasm", "[store, storage]");
        assert_eq!(
            check(&dir, &text),
            [
                (
                    "storage".to_string(),
                    "the link's source `caller` does not import `demo:app/storage`: its world `root:component/root` imports `demo:app/store@0.1.0`, `demo:app/handler@0.1.0`".to_string()
                ),
                (
                    "storage".to_string(),
                    "the link's target `callee` does not export `demo:app/storage`: its world `root:component/root` exports `demo:app/store@0.1.0`, `demo:app/handler@0.1.0`".to_string()
                ),
            ]
        );
        // The other way round: the callee imports nothing.
        let text = app("file://callee.wasm", "file://caller.wasm", "[store]");
        let found = check(&dir, &text);
        assert_eq!(found.len(), 2);
        assert!(
            found[0].1.ends_with("its world `root:component/root` imports nothing"),
            "{found:?}"
        );
        // Registry images with no `wit/` folder: nothing known, nothing said.
        let text = app("ghcr.io/a/caller:1", "ghcr.io/a/callee:1", "[nope]");
        assert_eq!(check(&dir, &text), vec![]);
        let doc = yaml::parse(&text).documents[0].root.clone();
        let app_read = App::read(&doc);
        let manifest = dir.join("wadm.yaml");
        assert!(completions(&manifest, &app_read, "callee", Some("demo"), Some("app"), false).is_empty());
        let text = app("file://caller.wasm", "file://callee.wasm", "[]");
        let doc = yaml::parse(&text).documents[0].root.clone();
        let app_read = App::read(&doc);
        let labels: Vec<(String, Option<String>)> =
            completions(&manifest, &app_read, "callee", Some("demo"), Some("app"), true)
                .into_iter()
                .map(|c| (c.label, c.insert_text))
                .collect();
        assert_eq!(
            labels,
            [
                ("store".to_string(), Some("[store]".to_string())),
                ("handler".to_string(), Some("[handler]".to_string()))
            ]
        );
        assert!(completions(&manifest, &app_read, "callee", Some("wasi"), None, false).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_wit_folder_next_to_the_manifest_stands_for_unbuilt_components() {
        let dir = std::env::temp_dir().join(format!("wasmscope-links-wit-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("wit/deps/http")).unwrap();
        std::fs::write(
            dir.join("wit/world.wit"),
            "package demo:caller;\n\nworld caller {\n  import wasi:http/outgoing-handler@0.2.0;\n}\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("wit/deps/http/handler.wit"),
            "package wasi:http@0.2.0;\n\ninterface outgoing-handler {\n  handle: func();\n}\n",
        )
        .unwrap();
        let text = "spec:\n  components:\n    - name: caller\n      type: component\n      properties:\n        image: file://./build/caller_s.wasm\n      traits:\n        - type: link\n          properties:\n            target: http\n            namespace: wasi\n            package: http\n            interfaces: [outgoing-handler, incoming-handler]\n    - name: http\n      type: capability\n      properties:\n        image: ghcr.io/wasmcloud/http-client:0.12.0\n";
        assert_eq!(
            check(&dir, text),
            [(
                "incoming-handler".to_string(),
                "the link's source `caller` does not import `wasi:http/incoming-handler`: its world `demo:caller/caller` imports `wasi:http/outgoing-handler@0.2.0`".to_string()
            )]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
