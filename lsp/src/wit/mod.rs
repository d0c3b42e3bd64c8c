//! WIT, the component model's interface language.

mod completion;
mod diagnostics;
mod folding;
mod foreign;
mod format;
mod highlight;
mod hover;
mod index;
mod lexer;
mod navigation;
mod package;
mod symbols;

pub(crate) use completion::completion;
pub(crate) use diagnostics::findings;
pub(crate) use folding::folding_ranges;
pub(crate) use foreign::definition as foreign_definition;
pub(crate) use format::format;
pub(crate) use highlight::semantic_tokens;
pub(crate) use hover::hover;
pub(crate) use lexer::identifier_problem;
pub(crate) use navigation::{definition, references};
pub(crate) use package::{dir_world, package_siblings};
pub(crate) use symbols::symbols;

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use super::*;

    /// A package exercising most of WIT's syntax.
    pub(crate) const SAMPLE: &str = r#"/// An HTTP-ish package.
package example:http@0.2.0-rc.1+build.5;

/// Shared types.
interface types {
  use wasi:io/streams@0.2.0.{input-stream as stream-in};

  /// A method.
  enum method {
    get,
    post,
    %type
  }
  flags permissions {
    read,
    write
  }
  variant error-code {
    timeout,
    other(option<string>), // why
  }
  record request {
    method: method,
    body: option<list<u8>>,
    headers: list<tuple<string, string>>,
  }
  type status = u16;
  resource fields {
    constructor(entries: list<tuple<string, list<u8>>>);
    /* static
       constructor */
    from-list: static func(entries: list<string>) -> result<fields, error-code>;
    get: func(name: string) -> list<list<u8>>;
    @since(version = 0.2.0)
    %stream: async func() -> stream-in;
  }
  handle: func(r: borrow<fields>, s: own<fields>) -> result<_, error-code>;
  fixed: func() -> list<u8, 4>;
}

interface handler {
  use types.{request, error-code as err, status};
  handle: func(req: request) -> result<status, err>;
}

@unstable(feature = experimental)
world proxy {
  import types;
  import wasi:cli/environment@0.2.0;
  import log: func(msg: string);
  import inline: interface {
    record point {
      x: s32
    }
    move: func(p: point);
  }
  export handler;
  export named: handler;
  use types.{method};
  type m = method;
  include base with {log as logger}
}

world base {
  import log: func(msg: string);
}
"#;

    #[test]
    fn the_sample_parses_and_formatting_keeps_it() {
        assert!(format::parses(SAMPLE));
        assert_eq!(format(SAMPLE).as_deref(), Some(SAMPLE));
    }

    #[test]
    fn definitions_are_where_wit_parser_puts_them() {
        let group = package::parse("a.wit", SAMPLE, &[])
            .map_err(|(_, e)| e.to_string())
            .unwrap();
        let index = index::Index::new(&[("a.wit", SAMPLE)]);
        let range = |span: wit_parser::Span| -> Range<usize> { group.source_map.resolve_span(span).unwrap().range };
        let mut checked = 0;
        for (_, interface) in group.main.interfaces.iter() {
            let Some(name) = &interface.name else { continue };
            let definition = &index.definitions[&index::Sym::Interface(name.clone())];
            assert_eq!(index.range(definition.site), range(interface.span), "{name}");
            for (type_name, id) in &interface.types {
                let ty = &group.main.types[*id];
                let sym = index::Sym::Type(index::Scope::Interface(name.clone()), type_name.clone());
                match index.definitions.get(&sym) {
                    // wit-parser puts a renaming at the name it renames, just before ours.
                    Some(definition) if definition.kind == Some(index::TypeKind::Renamed) => {
                        let (theirs, ours) = (range(ty.span), index.range(definition.site));
                        assert_eq!(&SAMPLE[theirs.end..ours.start], " as ", "{type_name}");
                    }
                    Some(definition) => assert_eq!(index.range(definition.site), range(ty.span), "{type_name}"),
                    // Imported by `use` without renaming: the same name in another scope.
                    None => assert!(index.resolve_type(&sym_scope(&sym), type_name).is_some() || name == "types"),
                }
                checked += 1;
            }
        }
        for (_, world) in group.main.worlds.iter() {
            let definition = &index.definitions[&index::Sym::World(world.name.clone())];
            assert_eq!(index.range(definition.site), range(world.span));
            checked += 1;
        }
        assert!(checked > 10, "{checked}");
    }

    fn sym_scope(sym: &index::Sym) -> index::Scope {
        match sym {
            index::Sym::Type(scope, _) => scope.clone(),
            _ => unreachable!(),
        }
    }

    /// Every prefix of the sample is what an editor holds while it is typed: nothing may
    /// panic, and formatting (when the prefix parses) keeps its tokens and is stable.
    #[test]
    fn every_prefix_is_handled() {
        let package = vec![(
            "b.wit".to_string(),
            "interface other { record r { a: u8 } }".to_string(),
        )];
        for end in (0..=SAMPLE.len()).filter(|&i| SAMPLE.is_char_boundary(i)) {
            let text = &SAMPLE[..end];
            completion("a.wit", text, &package, end);
            completion("a.wit", text, &package, end / 2);
            definition("a.wit", text, &package, end.saturating_sub(2));
            references("a.wit", text, &package, end.saturating_sub(2));
            let tokens = semantic_tokens("a.wit", text, &package);
            assert!(
                tokens.windows(2).all(|w| w[0].range.end <= w[1].range.start),
                "overlap at {end}"
            );
            assert!(
                tokens
                    .iter()
                    .all(|t| !text[t.range.clone()].contains('\n') && !t.range.is_empty())
            );
            if let Some(formatted) = format(text) {
                let texts = |text: &str| -> Vec<String> {
                    lexer::lex(text)
                        .into_iter()
                        .map(|t| text[t.range].trim_end().to_string())
                        .collect()
                };
                assert_eq!(texts(&formatted), texts(text), "tokens changed at {end}");
                assert_eq!(
                    format(&formatted).as_deref(),
                    Some(formatted.as_str()),
                    "unstable at {end}"
                );
            }
        }
    }
}
