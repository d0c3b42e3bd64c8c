//! Hover: the WIDL item named under the cursor (where it is defined or used, in this file
//! or an imported one) as a signature, with its description.

use std::ops::Range;

use super::ast::{self, StringLit};
use super::cursor::{self, Item};
use super::print;
use super::scope::{Binding, Workspace};

/// Markdown for what is at `offset` of the workspace's first file, and the range it is about.
pub(crate) fn hover(ws: &Workspace, offset: usize) -> Option<(Range<usize>, String)> {
    let unit = &ws.units[0];
    let text = unit.text.as_str();
    let (range, item) = cursor::at(&unit.parsed.doc, offset)?;
    let scope = ws.scope(0);
    let markdown = match item {
        Item::Definition(def) => definition(ws, ws.binding_of(def)?),
        Item::TypeUse(ident) => match scope.types.get(&ident.name) {
            Some(binding) => definition(ws, *binding),
            None if ident.name == "void" => {
                render("void", Some("No value: what an operation without `: Type` returns."))
            }
            None => {
                let what = ast::builtin(&ident.name)?;
                render(&ident.name, Some(&format!("Built-in type: {what}.")))
            }
        },
        Item::ImportName(name, ..) => {
            let local = &name.alias.as_ref().unwrap_or(&name.name).name;
            definition(ws, *scope.types.get(local).or_else(|| scope.directives.get(local))?)
        }
        Item::Annotation(annotation) => definition(ws, *scope.directives.get(&annotation.name.name)?),
        Item::DirectiveUse(ident) => definition(ws, *scope.directives.get(&ident.name)?),
        Item::Operation(op) => with_description(render(&print::operation(text, op), None), &op.description),
        Item::Field(field) | Item::Parameter(field) => {
            with_description(render(&print::field(text, field), None), &field.description)
        }
        Item::EnumValue(value) => with_description(render(&print::enum_value(text, value), None), &value.description),
        Item::ImportFrom(from, def) => {
            let (_, resolved) = unit
                .imports
                .iter()
                .find(|(i, _)| std::ptr::eq(&unit.definitions()[*i], def))?;
            let target = resolved.as_ref().ok()?;
            format!("Imports `{}` ({}).", ws.units[*target].path.display(), from.value)
        }
        Item::ArgumentName | Item::Value(_) | Item::Location => return None,
    };
    Some((range, markdown))
}

/// A definition's signature and description, and the file it is in when not this one.
fn definition(ws: &Workspace, binding: Binding) -> String {
    let def = ws.definition(binding);
    let text = &ws.units[binding.unit].text;
    let mut markdown = with_description(render(&print::signature(text, def), None), &def.description);
    if binding.unit != 0 {
        markdown.push_str(&format!("\n\nDefined in `{}`.", ws.file_name(binding.unit)));
    }
    markdown
}

fn render(signature: &str, note: Option<&str>) -> String {
    let mut markdown = format!("```widl\n{signature}\n```");
    if let Some(note) = note {
        markdown.push_str("\n\n");
        markdown.push_str(note);
    }
    markdown
}

fn with_description(mut markdown: String, description: &Option<StringLit>) -> String {
    if let Some(description) = description {
        markdown.push_str("\n\n");
        markdown.push_str(description.value.trim());
    }
    markdown
}

#[cfg(test)]
mod tests {
    use super::super::scope::tests::workspace;
    use super::*;

    const MAIN: &str = "namespace \"kv\"\nimport * from \"./core.widl\"\n\"The API\"\ninterface {\n  \
                        \"Gets it\"\n  get{key: string}: Answer @deprecated(reason: \"x\")\n}\n\
                        \"An answer\"\ntype Answer {\n  \"The value\"\n  value: Shared = {} @n(1)\n  v: void\n}\n";
    const CORE: &str = "namespace \"core\"\n\"Shared things\"\ntype Shared { a: i32 }\n\
                        \"Old\"\ndirective @deprecated(reason: string) on OPERATION\n";

    fn hover_at(needle: &str, nth: usize) -> Option<(String, String)> {
        let ws = workspace(&[("/w/main.widl", MAIN), ("/w/core.widl", CORE)]);
        let offset = MAIN.match_indices(needle).nth(nth).unwrap().0 + 1;
        hover(&ws, offset).map(|(range, markdown)| (MAIN[range].to_string(), markdown))
    }

    #[test]
    fn definitions_and_uses_here_and_imported() {
        let at_definition = hover_at("Answer", 1).unwrap();
        assert_eq!(
            at_definition,
            (
                "Answer".to_string(),
                "```widl\ntype Answer {\n  value: Shared = {} @n(1)\n  v: void\n}\n```\n\nAn answer".to_string()
            )
        );
        assert_eq!(hover_at("Answer", 0).unwrap(), at_definition);
        assert_eq!(
            hover_at("Shared", 0).unwrap().1,
            "```widl\ntype Shared {\n  a: i32\n}\n```\n\nShared things\n\nDefined in `core.widl`."
        );
        assert_eq!(
            hover_at("deprecated", 0).unwrap().1,
            "```widl\ndirective @deprecated(reason: string) on OPERATION\n```\n\nOld\n\nDefined in `core.widl`."
        );
        assert_eq!(
            hover_at("interface", 0).unwrap().1,
            "```widl\ninterface {\n  get{key: string}: Answer @deprecated(reason: \"x\")\n}\n```\n\nThe API"
        );
    }

    #[test]
    fn members_builtins_and_nothing() {
        assert_eq!(
            hover_at("get", 0).unwrap(),
            (
                "get".to_string(),
                "```widl\nget{key: string}: Answer @deprecated(reason: \"x\")\n```\n\nGets it".to_string()
            )
        );
        assert_eq!(
            hover_at("value:", 0).unwrap().1,
            "```widl\nvalue: Shared = {} @n(1)\n```\n\nThe value"
        );
        assert_eq!(hover_at("key", 0).unwrap().1, "```widl\nkey: string\n```");
        assert_eq!(
            hover_at("string", 0).unwrap(),
            (
                "string".to_string(),
                "```widl\nstring\n```\n\nBuilt-in type: UTF-8 text.".to_string()
            )
        );
        assert_eq!(
            hover_at("void", 0).unwrap().1,
            "```widl\nvoid\n```\n\nNo value: what an operation without `: Type` returns."
        );
        assert_eq!(
            hover_at("./core", 0).unwrap().1,
            "Imports `/w/core.widl` (./core.widl)."
        );
        assert_eq!(hover_at("reason", 0), None);
        assert_eq!(hover_at("n(1)", 0), None);
    }
}
