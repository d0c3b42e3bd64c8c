//! `${NAME}` and `${NAME:default}` in a host manifest, expanded from the environment as the
//! wasmCloud host did.

pub(super) fn expand(text: &str) -> String {
    expand_with(text, |name| std::env::var(name).ok())
}

fn expand_with(text: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest[start..].find('}') else { break };
        let inner = &rest[start + 2..start + len];
        let (name, default) = match inner.split_once(':') {
            Some((name, default)) => (name, Some(default)),
            None => (inner, None),
        };
        let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        out.push_str(&rest[..start]);
        match (valid, lookup(name), default) {
            (true, Some(value), _) => out.push_str(&value),
            (true, None, Some(default)) => out.push_str(default),
            // Unknown names without a default stay as written: the YAML error says where.
            _ => out.push_str(&rest[start..start + len + 1]),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_with_and_without_defaults() {
        let lookup = |name: &str| (name == "PORT").then(|| "9090".to_string());
        assert_eq!(expand_with("port: ${PORT}", lookup), "port: 9090");
        assert_eq!(expand_with("a: ${ACTOR:MABC}", lookup), "a: MABC");
        assert_eq!(expand_with("a: ${MISSING}", lookup), "a: ${MISSING}");
        assert_eq!(expand_with("a: ${", lookup), "a: ${");
        assert_eq!(expand_with("ü ${PORT:1} ü", lookup), "ü 9090 ü");
    }
}
