//! Matching a path an editor sends (absolute, maybe through symlinks, maybe Windows-style) to
//! a path recorded in DWARF (the compile directory joined with a relative name).

use std::path::{Component, Path, PathBuf};

/// Removes `.` and folds `..` without touching the file system; also turns `\` into `/` so
/// paths recorded on Windows compare equal to the same names sent from elsewhere.
pub(crate) fn normalize(path: &str) -> String {
    let unified = path.replace('\\', "/");
    let mut out = PathBuf::new();
    for component in Path::new(&unified).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out.to_string_lossy().into_owned()
}

/// The index in `known` of the file `requested` names: the same normalized path, else the
/// one sharing the longest tail of path components (at least the file name), if unique.
pub(crate) fn best_match<'a>(known: impl Iterator<Item = &'a str>, requested: &str) -> Option<usize> {
    let mut wanted = vec![normalize(requested)];
    if let Ok(canonical) = std::fs::canonicalize(requested) {
        wanted.push(normalize(&canonical.to_string_lossy()));
    }
    let mut best: Option<(usize, usize)> = None;
    let mut tie = false;
    for (index, file) in known.enumerate() {
        for want in &wanted {
            if file == want {
                return Some(index);
            }
            let shared = shared_tail(file, want);
            if shared == 0 {
                continue;
            }
            match best {
                Some((_, len)) if len > shared => {}
                Some((i, len)) if len == shared => tie |= i != index,
                _ => {
                    best = Some((index, shared));
                    tie = false;
                }
            }
        }
    }
    match best {
        Some((index, _)) if !tie => Some(index),
        _ => None,
    }
}

fn shared_tail(a: &str, b: &str) -> usize {
    a.rsplit('/')
        .zip(b.rsplit('/'))
        .take_while(|(x, y)| x.eq_ignore_ascii_case(y) && !x.is_empty())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_dots_and_backslashes() {
        assert_eq!(normalize("/a/./b/../c.rs"), "/a/c.rs");
        assert_eq!(normalize("C:\\work\\src\\main.rs"), "C:/work/src/main.rs");
    }

    #[test]
    fn exact_then_longest_tail() {
        let files = [
            "/build/app/src/main.rs",
            "/rustc/abc/library/std/src/rt.rs",
            "/build/app/src/lib.rs",
        ];
        assert_eq!(best_match(files.iter().copied(), "/build/app/src/main.rs"), Some(0));
        assert_eq!(best_match(files.iter().copied(), "/home/me/app/src/lib.rs"), Some(2));
        assert_eq!(
            best_match(files.iter().copied(), "C:\\checkout\\app\\src\\main.rs"),
            Some(0)
        );
        assert_eq!(best_match(files.iter().copied(), "/elsewhere/other.rs"), None);
    }

    #[test]
    fn ambiguous_tail_is_no_match() {
        let files = ["/a/src/main.rs", "/b/src/main.rs"];
        assert_eq!(best_match(files.iter().copied(), "/c/src/main.rs"), None);
        assert_eq!(best_match(files.iter().copied(), "/x/b/src/main.rs"), Some(1));
    }
}
