//! Hover: the WIT item named under the cursor (where it is defined or where it is used),
//! with its kind and its doc comment.

use std::ops::Range;

use wit_parser::{Docs, TypeDefKind};

use super::package::parse;

/// The identifier around `offset`, and its byte range (WIT names are kebab-case; `%` escapes
/// keywords).
fn identifier_at(text: &str, offset: usize) -> Option<(Range<usize>, &str)> {
    let is_part = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '%';
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // The byte after the last non-name character (which may be several bytes long).
    let start = text[..offset]
        .char_indices()
        .rfind(|&(_, c)| !is_part(c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let end = text[offset..]
        .find(|c| !is_part(c))
        .map(|i| offset + i)
        .unwrap_or(text.len());
    (start < end).then(|| (start..end, text[start..end].trim_start_matches('%')))
}

/// Markdown for the item named at `offset`, and the range it describes.
pub(crate) fn hover(
    path: &str,
    text: &str,
    package: &[(String, String)],
    offset: usize,
) -> Option<(Range<usize>, String)> {
    let (range, name) = identifier_at(text, offset)?;
    let group = parse(path, text, package).ok()?;
    let pkg = &group.main;
    let render = |signature: String, docs: &Docs| {
        let mut markdown = format!("```wit\n{signature}\n```");
        if let Some(doc) = &docs.contents {
            markdown.push_str("\n\n");
            markdown.push_str(doc.trim());
        }
        markdown
    };
    for (_, ty) in pkg.types.iter() {
        if ty.name.as_deref() == Some(name) {
            let keyword = match ty.kind {
                TypeDefKind::Record(_) => "record",
                TypeDefKind::Variant(_) => "variant",
                TypeDefKind::Enum(_) => "enum",
                TypeDefKind::Flags(_) => "flags",
                TypeDefKind::Resource => "resource",
                _ => "type",
            };
            return Some((range, render(format!("{keyword} {name}"), &ty.docs)));
        }
    }
    for (_, interface) in pkg.interfaces.iter() {
        if interface.name.as_deref() == Some(name) {
            return Some((range, render(format!("interface {name}"), &interface.docs)));
        }
        if let Some(function) = interface.functions.get(name) {
            return Some((range, render(format!("{name}: func"), &function.docs)));
        }
    }
    for (_, world) in pkg.worlds.iter() {
        if world.name == name {
            return Some((range, render(format!("world {name}"), &world.docs)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_after_multibyte_characters_and_offsets_inside_them() {
        let text = "//😀abc";
        assert_eq!(identifier_at(text, 8), Some((6..9, "abc")));
        // An offset inside the emoji snaps back to a character boundary.
        assert_eq!(identifier_at(text, 4), None);
    }

    const TEXT: &str = "package demo:app;\n/// The API.\ninterface api {\n  /// Someone.\n  record person-info {\n    name: string,\n  }\n  /// Says hello.\n  greet: func(p: person-info);\n}\n";

    #[test]
    fn hover_at_a_definition_and_at_a_use() {
        let at_definition = TEXT.find("person-info {").unwrap() + 3;
        let (range, markdown) = hover("a.wit", TEXT, &[], at_definition).unwrap();
        assert_eq!(&TEXT[range], "person-info");
        assert_eq!(markdown, "```wit\nrecord person-info\n```\n\nSomeone.");
        let at_use = TEXT.rfind("person-info").unwrap();
        assert_eq!(hover("a.wit", TEXT, &[], at_use).unwrap().1, markdown);
        let (_, markdown) = hover("a.wit", TEXT, &[], TEXT.find("greet").unwrap()).unwrap();
        assert_eq!(markdown, "```wit\ngreet: func\n```\n\nSays hello.");
        let (_, markdown) = hover("a.wit", TEXT, &[], TEXT.find("api").unwrap()).unwrap();
        assert_eq!(markdown, "```wit\ninterface api\n```\n\nThe API.");
        assert_eq!(hover("a.wit", TEXT, &[], TEXT.find("string").unwrap()), None);
    }
}
