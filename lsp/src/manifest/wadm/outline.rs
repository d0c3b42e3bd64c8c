//! The outline of a wadm manifest: each application, its components with their traits
//! (links named by their target), and its policies.

use super::model::App;
use crate::manifest::tree::first_line;
use crate::symbol::{Symbol, SymbolKind};

pub(crate) fn symbols(text: &str, app: &App<'_>) -> Symbol {
    let mut children = Vec::new();
    for component in &app.components {
        let Some(name) = component.name else { continue };
        let traits = component
            .traits
            .iter()
            .filter_map(|t| {
                let kind = t.kind?;
                let label = match t.link().and_then(|l| l.target_name().map(str::to_string)) {
                    Some(target) => format!("link → {target}"),
                    None => kind.as_str()?.to_string(),
                };
                Some(Symbol {
                    name: label,
                    kind: SymbolKind::Property,
                    range: kind.range.clone(),
                    children: Vec::new(),
                })
            })
            .collect();
        children.push(Symbol {
            name: name.as_str().unwrap_or_default().to_string(),
            kind: SymbolKind::Component,
            range: name.range.clone(),
            children: traits,
        });
    }
    for policy in &app.policies {
        let (Some(name), Some(node)) = (policy.name, policy.node.get("name")) else {
            continue;
        };
        children.push(Symbol {
            name: name.to_string(),
            kind: SymbolKind::Property,
            range: node.range.clone(),
            children: Vec::new(),
        });
    }
    let (name, range) = match app.name {
        Some(node) => (node.as_str().unwrap_or_default().to_string(), node.range.clone()),
        None => ("application".to_string(), first_line(text, app.doc.extent())),
    };
    Symbol {
        name,
        kind: SymbolKind::Namespace,
        range,
        children,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::yaml;

    #[test]
    fn applications_components_traits_and_policies() {
        let text = "metadata:\n  name: demo\nspec:\n  policies:\n    - name: vault\n      type: x\n  components:\n    - name: hello\n      traits:\n        - type: spreadscaler\n        - type: link\n          properties:\n            target: { name: http }\n    - name: http\n";
        let doc = yaml::parse(text).documents[0].root.clone();
        let outline = symbols(text, &App::read(&doc));
        let show = |s: &Symbol| format!("{} {:?} {}", s.name, s.kind, &text[s.range.clone()]);
        assert_eq!(show(&outline), "demo Namespace demo");
        let children: Vec<String> = outline.children.iter().map(show).collect();
        assert_eq!(
            children,
            ["hello Component hello", "http Component http", "vault Property vault"]
        );
        let traits: Vec<String> = outline.children[0].children.iter().map(show).collect();
        assert_eq!(
            traits,
            ["spreadscaler Property spreadscaler", "link → http Property link"]
        );
        let text = "kind: Application\n";
        let unnamed = yaml::parse(text).documents[0].root.clone();
        let outline = symbols(text, &App::read(&unnamed));
        assert_eq!(
            (outline.name.as_str(), &text[outline.range]),
            ("application", "kind: Application")
        );
    }
}
