//! A wadm application read leniently from its document tree: whatever has the expected shape
//! is kept with its position, whatever has not is skipped (the schema reports it).

use crate::manifest::tree::{Entry, Node};

/// One application (one document of a manifest file).
pub(crate) struct App<'a> {
    pub doc: &'a Node,
    /// `metadata.name`'s value.
    pub name: Option<&'a Node>,
    pub labels: Vec<(&'a Entry, &'a str)>,
    pub annotations: Vec<(&'a Entry, &'a str)>,
    pub components: Vec<Component<'a>>,
    pub policies: Vec<Policy<'a>>,
}

pub(crate) struct Component<'a> {
    pub node: &'a Node,
    /// The `name` value.
    pub name: Option<&'a Node>,
    /// The `type` value (`component`, `capability`).
    pub kind: Option<&'a str>,
    pub properties: Option<&'a Node>,
    pub traits: Vec<Trait<'a>>,
}

pub(crate) struct Trait<'a> {
    pub node: &'a Node,
    /// The `type` value.
    pub kind: Option<&'a Node>,
    pub properties: Option<&'a Node>,
}

/// A `link` trait's properties.
pub(crate) struct Link<'a> {
    /// The name of the link (`name`), if set.
    pub name: Option<&'a str>,
    /// The value naming the target: `target: x` or `target: {name: x}`.
    pub target: Option<&'a Node>,
    pub namespace: Option<&'a Node>,
    pub package: Option<&'a Node>,
    /// Each entry of `interfaces`.
    pub interfaces: Vec<&'a Node>,
    /// Configurations given to the target and the source (each a `{name, properties}`), as
    /// wadm reads them: `target.config` (or `target_config` with a bare target name), and
    /// `source.config` (or `source_config` without `source`).
    pub target_configs: Vec<&'a Node>,
    pub source_configs: Vec<&'a Node>,
    /// Secrets given to the target and the source (each a `{name, properties}`).
    pub secrets: Vec<&'a Node>,
}

pub(crate) struct Policy<'a> {
    pub node: &'a Node,
    pub name: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub properties: Option<&'a Node>,
}

fn string_pairs(node: Option<&Node>) -> Vec<(&Entry, &str)> {
    node.map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|e| Some((e, e.value.as_str()?)))
        .collect()
}

impl<'a> App<'a> {
    pub(crate) fn read(doc: &'a Node) -> App<'a> {
        let metadata = doc.get("metadata");
        let spec = doc.get("spec");
        let components = spec
            .and_then(|s| s.get("components"))
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .map(Component::read)
            .collect();
        let policies = spec
            .and_then(|s| s.get("policies"))
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .map(|node| Policy {
                node,
                name: node.get("name").and_then(Node::as_str),
                kind: node.get("type").and_then(Node::as_str),
                properties: node.get("properties"),
            })
            .collect();
        App {
            doc,
            name: metadata.and_then(|m| m.get("name")).filter(|n| n.as_str().is_some()),
            labels: string_pairs(metadata.and_then(|m| m.get("labels"))),
            annotations: string_pairs(metadata.and_then(|m| m.get("annotations"))),
            components,
            policies,
        }
    }

    /// The first component named `name`.
    pub(crate) fn component(&self, name: &str) -> Option<&Component<'a>> {
        self.components.iter().find(|c| c.name_str() == Some(name))
    }
}

impl<'a> Component<'a> {
    fn read(node: &'a Node) -> Component<'a> {
        let traits = node
            .get("traits")
            .map(Node::items)
            .unwrap_or_default()
            .iter()
            .map(|node| Trait {
                node,
                kind: node.get("type").filter(|t| t.as_str().is_some()),
                properties: node.get("properties"),
            })
            .collect();
        Component {
            node,
            name: node.get("name").filter(|n| n.as_str().is_some()),
            kind: node.get("type").and_then(Node::as_str),
            properties: node.get("properties"),
            traits,
        }
    }

    pub(crate) fn name_str(&self) -> Option<&'a str> {
        self.name.and_then(Node::as_str)
    }

    /// A property of `properties` (`image`, `id`, `application`, `config`, `secrets`).
    pub(crate) fn property(&self, key: &str) -> Option<&'a Node> {
        self.properties.and_then(|p| p.get(key))
    }

    pub(crate) fn links(&self) -> impl Iterator<Item = (&Trait<'a>, Link<'a>)> {
        self.traits.iter().filter_map(|t| Some((t, t.link()?)))
    }
}

impl<'a> Trait<'a> {
    pub(crate) fn type_str(&self) -> Option<&'a str> {
        self.kind.and_then(Node::as_str)
    }

    pub(crate) fn is_link(&self) -> bool {
        self.type_str() == Some("link")
    }

    pub(crate) fn is_scaler(&self) -> bool {
        matches!(self.type_str(), Some("spreadscaler" | "daemonscaler"))
    }

    /// The link this trait declares, when it is a `link` trait with properties.
    pub(crate) fn link(&self) -> Option<Link<'a>> {
        if !self.is_link() {
            return None;
        }
        let properties = self.properties.filter(|p| p.is_map())?;
        let target = properties.get("target");
        let target_name = match target {
            Some(t) if t.as_str().is_some() => Some(t),
            Some(t) => t.get("name").filter(|n| n.as_str().is_some()),
            None => None,
        };
        let list =
            |node: Option<&'a Node>| -> Vec<&'a Node> { node.map(Node::items).unwrap_or_default().iter().collect() };
        let target_configs = match target {
            Some(t) if t.as_str().is_some() => list(properties.get("target_config")),
            Some(t) => list(t.get("config")),
            None => Vec::new(),
        };
        let source = properties.get("source").filter(|s| !s.is_null());
        let source_configs = match source {
            Some(s) => list(s.get("config")),
            None => list(properties.get("source_config")),
        };
        let mut secrets = list(target.and_then(|t| t.get("secrets")));
        secrets.extend(list(source.and_then(|s| s.get("secrets"))));
        Some(Link {
            name: properties.get("name").and_then(Node::as_str),
            target: target_name,
            namespace: properties.get("namespace").filter(|n| n.as_str().is_some()),
            package: properties.get("package").filter(|n| n.as_str().is_some()),
            interfaces: list(properties.get("interfaces"))
                .into_iter()
                .filter(|i| i.as_str().is_some())
                .collect(),
            target_configs,
            source_configs,
            secrets,
        })
    }
}

impl<'a> Link<'a> {
    pub(crate) fn target_name(&self) -> Option<&'a str> {
        self.target.and_then(Node::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::yaml;

    #[test]
    fn links_are_read_as_wadm_reads_them() {
        let text = "metadata:\n  name: demo\n  labels: { tier: web, n: 1 }\nspec:\n  components:\n    - name: a\n      type: component\n      properties: { image: r/a:1, id: a1 }\n      traits:\n        - type: link\n          properties:\n            target: b\n            namespace: wasi\n            package: http\n            interfaces: [outgoing-handler, 7]\n            target_config: [{ name: t1 }]\n            source_config: [{ name: s1 }]\n        - type: link\n          properties:\n            name: second\n            target: { name: b, config: [{ name: t2 }], secrets: [{ name: k }] }\n            target_config: [{ name: ignored }]\n            source: { config: [{ name: s2 }] }\n            source_config: [{ name: ignored }]\n        - type: spreadscaler\n          properties: { instances: 1 }\n    - name: 3\n  policies:\n    - { name: vault, type: x, properties: { backend: b } }\n";
        let doc = yaml::parse(text).documents[0].root.clone();
        let app = App::read(&doc);
        assert_eq!(app.name.and_then(Node::as_str), Some("demo"));
        assert_eq!(
            app.labels.iter().map(|(e, v)| (e.key.as_str(), *v)).collect::<Vec<_>>(),
            [("tier", "web")]
        );
        assert_eq!(app.components.len(), 2);
        assert_eq!(app.components[1].name, None);
        let a = &app.components[0];
        assert_eq!((a.name_str(), a.kind), (Some("a"), Some("component")));
        assert_eq!(a.property("id").and_then(Node::as_str), Some("a1"));
        let names = |nodes: &[&Node]| -> Vec<String> {
            nodes
                .iter()
                .filter_map(|n| n.get("name").and_then(Node::as_str).map(str::to_string))
                .collect()
        };
        let links: Vec<Link> = a.links().map(|(_, l)| l).collect();
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].target_name(), Some("b"));
        assert_eq!(&text[links[0].target.unwrap().range.clone()], "b");
        assert_eq!(links[0].interfaces.len(), 1);
        assert_eq!(names(&links[0].target_configs), ["t1"]);
        assert_eq!(names(&links[0].source_configs), ["s1"]);
        assert_eq!(links[1].name, Some("second"));
        assert_eq!(links[1].target_name(), Some("b"));
        assert_eq!(names(&links[1].target_configs), ["t2"]);
        assert_eq!(names(&links[1].source_configs), ["s2"]);
        assert_eq!(names(&links[1].secrets), ["k"]);
        assert!(a.traits[2].is_scaler() && a.traits[2].link().is_none());
        assert_eq!(app.policies[0].name, Some("vault"));
        assert!(app.component("b").is_none());
    }
}
