//! Expressions a debugger user types or hovers: a variable and a path into it
//! (`line.to.x`, `vec[2]`, `tuple.0`, `*boxed`). Values come from the same renderer as the
//! Variables view, so an expression shows exactly what expanding the tree would.

use anyhow::{Result, bail};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// A field, or a tuple position written `.0`.
    Field(String),
    /// An element of a collection.
    Index(u64),
}

/// `root` and the steps after it. References and derefs (`&x`, `*x`) are accepted and
/// ignored: pointers already show their targets.
pub(crate) fn parse_path(expression: &str) -> Result<(String, Vec<Segment>)> {
    let text = expression.trim().trim_start_matches(['*', '&']).trim();
    let ident_end = |from: usize, s: &str| {
        s[from..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map(|i| from + i)
            .unwrap_or(s.len())
    };
    let end = ident_end(0, text);
    if end == 0 || text.as_bytes()[0].is_ascii_digit() {
        bail!("cannot evaluate `{expression}`: expected a variable name, optionally followed by `.field` or `[index]`");
    }
    let root = text[..end].to_string();
    let mut segments = Vec::new();
    let mut at = end;
    while at < text.len() {
        let rest = &text[at..];
        if let Some(after_dot) = rest.strip_prefix('.') {
            let start = at + 1;
            let stop = ident_end(start, text);
            if stop == start {
                bail!("cannot evaluate `{expression}`: expected a field name after `.`");
            }
            segments.push(Segment::Field(after_dot[..stop - start].to_string()));
            at = stop;
        } else if rest.starts_with('[') {
            let Some(close) = rest.find(']') else {
                bail!("cannot evaluate `{expression}`: missing `]`")
            };
            let index = rest[1..close]
                .trim()
                .parse::<u64>()
                .map_err(|_| anyhow::anyhow!("cannot evaluate `{expression}`: an index must be a number"))?;
            segments.push(Segment::Index(index));
            at += close + 1;
        } else {
            bail!("cannot evaluate `{expression}`: unexpected `{rest}`");
        }
    }
    Ok((root, segments))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(parse_path("point").unwrap(), ("point".into(), vec![]));
        assert_eq!(
            parse_path("line.to.x").unwrap(),
            (
                "line".into(),
                vec![Segment::Field("to".into()), Segment::Field("x".into())]
            )
        );
        assert_eq!(
            parse_path(" *big[500] ").unwrap(),
            ("big".into(), vec![Segment::Index(500)])
        );
        assert_eq!(
            parse_path("tuple.1").unwrap(),
            ("tuple".into(), vec![Segment::Field("1".into())])
        );
        assert!(parse_path("1 + 2").is_err());
        assert!(parse_path("v[x]").is_err());
        assert!(parse_path("v[1").is_err());
        assert!(parse_path("a - b").is_err());
    }
}
