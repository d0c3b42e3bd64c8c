//! Whether a symbol's name matches what the user typed in the editor's symbol search, and how
//! well: case-insensitive, the query's characters in order (`gtfn` finds `get-function`).

/// How well a name matches; smaller is better. An empty query ranks every name the same, so
/// that they keep the order of their files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Rank {
    tier: Tier,
    /// Characters between the first and the last matched one: tighter matches first.
    spread: usize,
    /// Shorter names first: less that was not asked for.
    length: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Everything,
    Exact,
    Prefix,
    Substring,
    Subsequence,
}

/// The rank of `name` for `query`, or `None` when it does not match.
pub(crate) fn rank(query: &str, name: &str) -> Option<Rank> {
    let query: Vec<char> = query.trim().chars().flat_map(char::to_lowercase).collect();
    if query.is_empty() {
        return Some(Rank {
            tier: Tier::Everything,
            spread: 0,
            length: 0,
        });
    }
    let name: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
    let (first, last) = subsequence(&query, &name)?;
    let tier = if name == query {
        Tier::Exact
    } else if name.starts_with(&query) {
        Tier::Prefix
    } else if name.windows(query.len()).any(|w| w == query.as_slice()) {
        Tier::Substring
    } else {
        Tier::Subsequence
    };
    let spread = match tier {
        Tier::Subsequence => last - first + 1 - query.len(),
        _ => 0,
    };
    Some(Rank {
        tier,
        spread,
        length: name.len(),
    })
}

/// Where the first and last characters of `query` are in `name` when each is matched as early
/// as it can be, or `None` when `name` lacks one of them in that order.
fn subsequence(query: &[char], name: &[char]) -> Option<(usize, usize)> {
    let mut positions = name.iter().enumerate();
    let mut first = None;
    let mut last = 0;
    for wanted in query {
        let (at, _) = positions.find(|(_, c)| *c == wanted)?;
        first.get_or_insert(at);
        last = at;
    }
    Some((first?, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names that match `query`, best first (ties in the order given).
    fn ranked<'a>(query: &str, names: &[&'a str]) -> Vec<&'a str> {
        let mut found: Vec<(Rank, usize, &str)> = names
            .iter()
            .enumerate()
            .filter_map(|(i, name)| Some((rank(query, name)?, i, *name)))
            .collect();
        found.sort();
        found.into_iter().map(|(_, _, name)| name).collect()
    }

    #[test]
    fn an_empty_query_matches_everything_in_order() {
        assert_eq!(ranked("", &["b", "a", "c"]), ["b", "a", "c"]);
        assert_eq!(ranked("  ", &["b", "a"]), ["b", "a"]);
    }

    #[test]
    fn characters_in_order_regardless_of_case() {
        assert_eq!(
            ranked("gtfn", &["get-function", "function-get", "GetFn", "gift"]),
            ["GetFn", "get-function"]
        );
        assert_eq!(
            ranked("ORD", &["order", "Ordinal", "word", "o-r"]),
            ["order", "Ordinal", "word"]
        );
        assert_eq!(ranked("x", &["abc", ""]), Vec::<&str>::new());
        // Non-ASCII names lower-case too.
        assert_eq!(ranked("élan", &["ÉLAN", "elan"]), ["ÉLAN"]);
    }

    #[test]
    fn exact_then_prefix_then_substring_then_tightest_subsequence() {
        assert_eq!(
            ranked(
                "api",
                &["a-p-i", "my-api", "api-types", "API", "apix", "a--p--i", "xapi"]
            ),
            ["API", "apix", "api-types", "xapi", "my-api", "a-p-i", "a--p--i"]
        );
    }

    #[test]
    fn link_labels_and_directives_match_by_their_words() {
        assert_eq!(ranked("http", &["link → http", "@deprecated"]), ["link → http"]);
        assert_eq!(ranked("@dep", &["link → http", "@deprecated"]), ["@deprecated"]);
    }
}
