//! Links and the components they target: go to a link target's component, and find every
//! link naming a component.

use std::ops::Range;

use super::model::{App, Component, Link};
use crate::manifest::tree::Node;

/// The link whose target name `offset` falls on, with its component.
pub(crate) fn link_target_at<'a>(app: &'a App<'a>, offset: usize) -> Option<(&'a Component<'a>, Link<'a>)> {
    app.components.iter().find_map(|component| {
        component.links().find_map(|(_, link)| {
            let target = link.target?;
            contains(&target.range, offset).then_some((component, link))
        })
    })
}

/// The component name `offset` falls on: a component's `name` or a link's target.
pub(crate) fn name_at<'a>(app: &'a App<'a>, offset: usize) -> Option<&'a str> {
    if let Some((_, link)) = link_target_at(app, offset) {
        return link.target_name();
    }
    app.components
        .iter()
        .filter_map(|c| c.name)
        .find(|n| contains(&n.range, offset))
        .and_then(Node::as_str)
}

/// The range of the `name` of the component called `name`.
pub(crate) fn definition(app: &App<'_>, name: &str) -> Option<Range<usize>> {
    app.component(name).and_then(|c| c.name).map(|n| n.range.clone())
}

/// The component's `name` (when there is one) then every link target naming it.
pub(crate) fn references(app: &App<'_>, name: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = definition(app, name).into_iter().collect();
    for component in &app.components {
        for (_, link) in component.links() {
            if link.target_name() == Some(name)
                && let Some(target) = link.target
            {
                out.push(target.range.clone());
            }
        }
    }
    out
}

fn contains(range: &Range<usize>, offset: usize) -> bool {
    range.start <= offset && offset <= range.end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::yaml;

    const TEXT: &str = "spec:\n  components:\n    - name: hello\n      traits:\n        - type: link\n          properties:\n            target: http\n        - type: link\n          properties:\n            target:\n              name: http\n    - name: http\n";

    #[test]
    fn targets_lead_to_components_and_back() {
        let doc = yaml::parse(TEXT).documents[0].root.clone();
        let app = App::read(&doc);
        let first = TEXT.find("target: http").unwrap() + 9;
        assert_eq!(name_at(&app, first), Some("http"));
        let defined = definition(&app, "http").unwrap();
        assert_eq!(defined.start, TEXT.rfind("http").unwrap());
        let refs = references(&app, "http");
        assert_eq!(refs.len(), 3);
        assert_eq!(refs[0], defined);
        assert!(refs[1..].iter().all(|r| &TEXT[r.clone()] == "http"));
        assert_eq!(name_at(&app, TEXT.find("hello").unwrap()), Some("hello"));
        assert_eq!(references(&app, "hello").len(), 1);
        assert_eq!(name_at(&app, 0), None);
        assert_eq!(definition(&app, "nope"), None);
    }
}
