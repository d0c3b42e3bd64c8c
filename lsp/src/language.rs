//! Which language a file is written in, from its name and, for YAML, its content: every
//! manifest is YAML, and only its keys tell a wadm application from a 2020 host manifest.

use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// The component model's interface language (`*.wit`).
    Wit,
    /// waPC's interface definition language (`*.widl`).
    Widl,
    /// A wadm application manifest (`apiVersion: core.oam.dev/…`, `kind: Application`).
    WadmManifest,
    /// The 2020 wasmCloud host manifest (`actors:`, `capabilities:`, `links:`).
    HostManifest,
    /// wash's project configuration, `wasmcloud.toml`.
    WasmcloudToml,
}

impl Language {
    /// The language of a file, or `None` when it is of no kind the server reads.
    pub fn of(path: &Path, text: &str) -> Option<Language> {
        let name = path.file_name()?.to_string_lossy();
        if name.ends_with(".wit") {
            Some(Language::Wit)
        } else if name.ends_with(".widl") {
            Some(Language::Widl)
        } else if name == "wasmcloud.toml" {
            Some(Language::WasmcloudToml)
        } else if is_yaml(&name) {
            yaml_kind(&name, text)
        } else {
            None
        }
    }

    /// Whether a file name may hold a language the server reads; YAML files still need
    /// [`Language::of`] to look at their content.
    pub fn may_be(name: &str) -> bool {
        name.ends_with(".wit") || name.ends_with(".widl") || name == "wasmcloud.toml" || is_yaml(name)
    }
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// A YAML file's kind by its top-level keys (at column 0), so that other YAML (CI
/// configuration, Kubernetes objects) is left alone. `wadm.yaml` and `*.wadm.yaml` are
/// wadm manifests whatever they hold, so a half-typed one is still checked.
fn yaml_kind(name: &str, text: &str) -> Option<Language> {
    let top_level = |key: &str| {
        text.lines().any(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
    };
    let api_version_is_oam = text.lines().any(|line| {
        line.strip_prefix("apiVersion:")
            .is_some_and(|v| v.trim().trim_matches(['"', '\'']).starts_with("core.oam.dev/"))
    });
    let wadm_name =
        matches!(name, "wadm.yaml" | "wadm.yml") || name.ends_with(".wadm.yaml") || name.ends_with(".wadm.yml");
    if wadm_name || api_version_is_oam {
        Some(Language::WadmManifest)
    } else if top_level("actors") || (top_level("capabilities") && top_level("links")) {
        Some(Language::HostManifest)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(name: &str, text: &str) -> Option<Language> {
        Language::of(Path::new(name), text)
    }

    #[test]
    fn languages_by_name_and_yaml_by_content() {
        assert_eq!(of("/w/api.wit", ""), Some(Language::Wit));
        assert_eq!(of("/w/api.widl", ""), Some(Language::Widl));
        assert_eq!(of("/w/wasmcloud.toml", ""), Some(Language::WasmcloudToml));
        assert_eq!(of("/w/Cargo.toml", ""), None);
        assert_eq!(of("/w/wadm.yaml", ""), Some(Language::WadmManifest));
        assert_eq!(of("/w/app.wadm.yaml", "x: 1"), Some(Language::WadmManifest));
        assert_eq!(
            of(
                "/w/app.yaml",
                "apiVersion: \"core.oam.dev/v1beta1\"\nkind: Application\n"
            ),
            Some(Language::WadmManifest)
        );
        assert_eq!(
            of("/w/host.yaml", "---\nactors:\n  - ./a.wasm\n"),
            Some(Language::HostManifest)
        );
        assert_eq!(of("/w/ci.yml", "jobs:\n  actors: 1\n"), None);
        assert_eq!(of("/w/notes.txt", "actors:"), None);
    }
}
