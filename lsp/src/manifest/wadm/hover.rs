//! Hover in a wadm manifest: for a link's target, the component it targets; elsewhere the
//! schema's description of the key.

use std::ops::Range;

use super::model::App;
use super::navigation::link_target_at;
use super::schema::schema;
use crate::manifest::assist;
use crate::manifest::tree::Node;

pub(crate) fn hover(doc: &Node, offset: usize) -> Option<(Range<usize>, String)> {
    let app = App::read(doc);
    if let Some((source, link)) = link_target_at(&app, offset) {
        let target = link.target?;
        let name = link.target_name()?;
        let interfaces: Vec<&str> = link.interfaces.iter().filter_map(|i| i.as_str()).collect();
        let wit = format!(
            "{}:{}/{{{}}}",
            link.namespace.and_then(Node::as_str).unwrap_or("?"),
            link.package.and_then(Node::as_str).unwrap_or("?"),
            interfaces.join(", ")
        );
        let from = source.name_str().unwrap_or("?");
        let markdown = match app.component(name) {
            Some(component) => {
                let mut about = format!("Link from `{from}` to component `{name}`");
                if let Some(kind) = component.kind {
                    about.push_str(&format!(" ({kind}"));
                    if let Some(image) = component.property("image").and_then(Node::as_str) {
                        about.push_str(&format!(", `{image}`"));
                    }
                    about.push(')');
                }
                format!("{about}\n\nover `{wit}`")
            }
            None => {
                format!("Link from `{from}` to `{name}`, which is not a component of this application\n\nover `{wit}`")
            }
        };
        return Some((target.range.clone(), markdown));
    }
    assist::hover(schema(), doc, offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::yaml;

    const TEXT: &str = "metadata:\n  name: demo\nspec:\n  components:\n    - name: hello\n      type: component\n      properties:\n        image: r/hello:1\n      traits:\n        - type: link\n          properties:\n            target: http\n            namespace: wasi\n            package: http\n            interfaces: [outgoing-handler]\n        - type: link\n          properties:\n            target: gone\n            namespace: wasi\n            package: http\n            interfaces: [outgoing-handler]\n    - name: http\n      type: capability\n      properties:\n        image: ghcr.io/wasmcloud/http-client:0.12.0\n";

    #[test]
    fn link_targets_name_their_component_and_keys_their_description() {
        let doc = yaml::parse(TEXT).documents[0].root.clone();
        let at = TEXT.find("target: http").unwrap() + 10;
        let (range, markdown) = hover(&doc, at).unwrap();
        assert_eq!(&TEXT[range], "http");
        assert_eq!(
            markdown,
            "Link from `hello` to component `http` (capability, `ghcr.io/wasmcloud/http-client:0.12.0`)\n\nover `wasi:http/{outgoing-handler}`"
        );
        let (_, markdown) = hover(&doc, TEXT.find("gone").unwrap()).unwrap();
        assert_eq!(
            markdown,
            "Link from `hello` to `gone`, which is not a component of this application\n\nover `wasi:http/{outgoing-handler}`"
        );
        let (range, markdown) = hover(&doc, TEXT.find("image").unwrap() + 1).unwrap();
        assert_eq!(&TEXT[range], "image");
        assert_eq!(
            markdown,
            "`image`: string\n\nThe image reference to use. Required unless the component is a shared component that is defined in another shared application."
        );
        let (_, markdown) = hover(&doc, TEXT.find("namespace").unwrap()).unwrap();
        assert_eq!(markdown, "`namespace`: string\n\nWIT namespace for the link");
        let old = TEXT.replace(
            "            namespace: wasi\n",
            "            target_config: []\n            namespace: wasi\n",
        );
        let old_doc = yaml::parse(&old).documents[0].root.clone();
        let (_, markdown) = hover(&old_doc, old.find("target_config").unwrap()).unwrap();
        assert_eq!(markdown, "`target_config`: array\n\nDeprecated.");
        let (_, markdown) = hover(&doc, TEXT.find("metadata").unwrap()).unwrap();
        assert_eq!(markdown, "`metadata`: object\n\nMetadata describing the manifest");
    }
}
