//! `.wasm` files a manifest points at, read without running them: whether they are valid
//! WebAssembly (`wasmparser`'s validator), a core module's imports and exports, a
//! component's WIT world (`wit-component`'s decoder) and the signed claims of an actor
//! (`wascap`: the `wasmcloud_jwt` custom section, its signature, module hash and dates).
//!
//! Files are read once per modification time ([`read`] caches by path, mtime and length), and
//! nothing here panics on any input: a truncated or corrupt file is an `Err` with the reason.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use wascap::jwt::{Actor, Claims, validate_token};
use wit_component::DecodedWasm;
use wit_parser::{Resolve, WorldItem, WorldKey};

/// What a `.wasm` file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wasm {
    pub kind: WasmKind,
    pub size: usize,
    /// The signed claims, `None` when the file is not signed; `Err` when its claims section
    /// cannot be read at all.
    pub claims: Option<Result<SignedClaims, String>>,
    /// A core module's imports (`module.name`, kind) and exports (`name`, kind).
    pub imports: Vec<(String, &'static str)>,
    pub exports: Vec<(String, &'static str)>,
    /// A component's world.
    pub world: Option<World>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WasmKind {
    Module,
    Component,
}

/// An actor's claims, with what verification found wrong (nothing when they are valid).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignedClaims {
    pub subject: String,
    pub issuer: String,
    pub name: Option<String>,
    pub capabilities: Vec<String>,
    pub tags: Vec<String>,
    pub expires: Option<u64>,
    pub problems: Vec<String>,
}

/// A WIT world: its name (`ns:pkg/world`) and what it imports and exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct World {
    pub name: String,
    pub imports: Vec<WitItem>,
    pub exports: Vec<WitItem>,
}

/// One import or export of a world: an interface of a package (`wasi:http/handler@0.2.0`)
/// or a name of the world's own (a function, an inline interface).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WitItem {
    /// `namespace:package/interface[@version]`, or the plain name.
    pub id: String,
    /// `(namespace, package)` of an interface of a package.
    pub package: Option<(String, String)>,
    pub name: String,
}

impl World {
    /// The world's items of one direction as a [`World`] built from a resolved WIT world.
    pub(crate) fn from_resolve(resolve: &Resolve, world: wit_parser::WorldId) -> World {
        let w = &resolve.worlds[world];
        let name = match w.package {
            Some(package) => resolve.id_of_name(package, &w.name),
            None => w.name.clone(),
        };
        let items = |items: &wit_parser::IndexMap<WorldKey, WorldItem>| -> Vec<WitItem> {
            items
                .iter()
                .filter(|(_, item)| !matches!(item, WorldItem::Type { .. }))
                .map(|(key, _)| match key {
                    WorldKey::Name(name) => WitItem {
                        id: name.clone(),
                        package: None,
                        name: name.clone(),
                    },
                    WorldKey::Interface(id) => {
                        let interface = &resolve.interfaces[*id];
                        let package = interface.package.map(|p| &resolve.packages[p].name);
                        let name = interface.name.clone().unwrap_or_default();
                        WitItem {
                            id: resolve.name_world_key(key),
                            package: package.map(|p| (p.namespace.clone(), p.name.clone())),
                            name,
                        }
                    }
                })
                .collect()
        };
        World {
            name,
            imports: items(&w.imports),
            exports: items(&w.exports),
        }
    }

    /// Whether the world imports (or exports) `namespace:package/interface`, any version.
    pub(crate) fn has(&self, export: bool, namespace: &str, package: &str, interface: &str) -> bool {
        let items = if export { &self.exports } else { &self.imports };
        items.iter().any(|item| {
            item.name == interface
                && item
                    .package
                    .as_ref()
                    .is_some_and(|(ns, pkg)| ns == namespace && pkg == package)
        })
    }

    /// `` `a`, `b` `` or `nothing`, for messages.
    pub(crate) fn list(&self, export: bool) -> String {
        let items = if export { &self.exports } else { &self.imports };
        if items.is_empty() {
            return "nothing".into();
        }
        items
            .iter()
            .map(|i| format!("`{}`", i.id))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A file read: what it holds, or why it cannot be used.
pub(crate) type Read = Arc<Result<Wasm, String>>;

type Cached = (SystemTime, u64, Read);

fn cache() -> &'static Mutex<HashMap<PathBuf, Cached>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Cached>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The file at `path` read and summarised, from the cache while its modification time and
/// length are unchanged. `Err` says why it cannot be used, as a clause (`is not valid …`).
pub(crate) fn read(path: &Path) -> Read {
    let stamp = std::fs::metadata(path).map(|m| (m.modified().unwrap_or(UNIX_EPOCH), m.len()));
    let Ok((modified, len)) = stamp else {
        return Arc::new(Err("cannot be read".into()));
    };
    if let Some((m, l, summary)) = cache().lock().unwrap_or_else(|p| p.into_inner()).get(path)
        && (*m, *l) == (modified, len)
    {
        return summary.clone();
    }
    let summary = Arc::new(match std::fs::read(path) {
        Ok(bytes) => parse(&bytes),
        Err(e) => Err(format!("cannot be read: {e}")),
    });
    cache()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(path.to_path_buf(), (modified, len, summary.clone()));
    summary
}

/// What `bytes` hold, or why they are not a valid module or component.
pub(crate) fn parse(bytes: &[u8]) -> Result<Wasm, String> {
    std::panic::catch_unwind(|| parse_unguarded(bytes))
        .unwrap_or_else(|_| Err("cannot be decoded (the decoder failed on it)".into()))
}

fn parse_unguarded(bytes: &[u8]) -> Result<Wasm, String> {
    if !bytes.starts_with(b"\0asm") {
        return Err("is not WebAssembly (no `\\0asm` header)".into());
    }
    let mut validator = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all());
    validator
        .validate_all(bytes)
        .map_err(|e| format!("is not valid WebAssembly: {e}"))?;
    let kind = if wasmparser::Parser::is_component(bytes) {
        WasmKind::Component
    } else {
        WasmKind::Module
    };
    let (mut imports, mut exports) = (Vec::new(), Vec::new());
    let mut jwt = None;
    let mut depth = 0usize;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| format!("is not valid WebAssembly: {e}"))?;
        use wasmparser::Payload;
        match payload {
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => depth += 1,
            Payload::End(_) => depth = depth.saturating_sub(1),
            Payload::ImportSection(reader) if depth == 0 => {
                for import in reader.into_imports() {
                    let import = import.map_err(|e| format!("is not valid WebAssembly: {e}"))?;
                    imports.push((format!("{}.{}", import.module, import.name), type_ref(import.ty)));
                }
            }
            Payload::ExportSection(reader) if depth == 0 => {
                for export in reader {
                    let export = export.map_err(|e| format!("is not valid WebAssembly: {e}"))?;
                    exports.push((export.name.to_string(), external_kind(export.kind)));
                }
            }
            Payload::CustomSection(section) if depth == 0 && matches!(section.name(), "wasmcloud_jwt" | "jwt") => {
                jwt = Some(String::from_utf8_lossy(section.data()).into_owned());
            }
            _ => {}
        }
    }
    let world = match kind {
        WasmKind::Component => match wit_component::decode(bytes) {
            Ok(DecodedWasm::Component(resolve, world)) => Some(World::from_resolve(&resolve, world)),
            Ok(DecodedWasm::WitPackage(..)) => None,
            Err(e) => return Err(format!("has a component type that cannot be decoded: {e:#}")),
        },
        WasmKind::Module => None,
    };
    Ok(Wasm {
        kind,
        size: bytes.len(),
        claims: jwt.map(|jwt| claims(bytes, &jwt)),
        imports,
        exports,
        world,
    })
}

fn type_ref(ty: wasmparser::TypeRef) -> &'static str {
    match ty {
        wasmparser::TypeRef::Func(_) | wasmparser::TypeRef::FuncExact(_) => "func",
        wasmparser::TypeRef::Table(_) => "table",
        wasmparser::TypeRef::Memory(_) => "memory",
        wasmparser::TypeRef::Global(_) => "global",
        wasmparser::TypeRef::Tag(_) => "tag",
    }
}

fn external_kind(kind: wasmparser::ExternalKind) -> &'static str {
    match kind {
        wasmparser::ExternalKind::Func | wasmparser::ExternalKind::FuncExact => "func",
        wasmparser::ExternalKind::Table => "table",
        wasmparser::ExternalKind::Memory => "memory",
        wasmparser::ExternalKind::Global => "global",
        wasmparser::ExternalKind::Tag => "tag",
    }
}

/// The claims in `jwt` (the claims section of `bytes`), verified as a host verifies them:
/// the module hash (wascap's `extract_claims`), then signature and dates.
fn claims(bytes: &[u8], jwt: &str) -> Result<SignedClaims, String> {
    let decoded = Claims::<Actor>::decode(jwt).map_err(|e| format!("malformed claims: {e}"))?;
    let meta = decoded.metadata.clone().unwrap_or_default();
    let mut problems = Vec::new();
    match wascap::wasm::extract_claims(bytes) {
        Ok(_) => {}
        // wascap's `ErrorKind` is not exported: its message is the only way to tell this case.
        Err(e) if e.to_string() == "Invalid module hash" => problems
            .push("the module was changed after it was signed: its hash does not match the one in its claims".into()),
        Err(e) => problems.push(format!("the claims cannot be checked against the module: {e}")),
    }
    match validate_token::<Actor>(jwt) {
        Ok(validation) => {
            if !validation.signature_valid {
                problems.push("the signature does not match the issuer's key".into());
            }
            if validation.expired {
                problems.push(format!("the claims expired {}", validation.expires_human));
            }
            if validation.cannot_use_yet {
                problems.push(format!(
                    "the claims are not valid yet (valid {})",
                    validation.not_before_human
                ));
            }
        }
        Err(e) => problems.push(format!("the claims cannot be verified: {e}")),
    }
    Ok(SignedClaims {
        subject: decoded.subject,
        issuer: decoded.issuer,
        name: meta.name,
        capabilities: meta.caps.unwrap_or_default(),
        tags: meta.tags.unwrap_or_default(),
        expires: decoded.expires,
        problems,
    })
}

impl Wasm {
    /// The summary a hover shows, in Markdown; `shown` is the path as the manifest wrote it.
    pub(crate) fn markdown(&self, shown: &str) -> String {
        let kind = match self.kind {
            WasmKind::Module => "core module",
            WasmKind::Component => "component",
        };
        let mut out = format!("**`{shown}`**: {kind}, {}\n\n", size(self.size));
        match &self.claims {
            None => out.push_str("**Claims**: none (not signed)\n\n"),
            Some(Err(e)) => out.push_str(&format!("**Claims**: unreadable ({e})\n\n")),
            Some(Ok(claims)) => {
                if claims.problems.is_empty() {
                    out.push_str("**Claims**: signed, verified (signature, hash and dates)\n\n");
                } else {
                    out.push_str(&format!("**Claims**: NOT VALID: {}\n\n", claims.problems.join("; ")));
                }
                if let Some(name) = &claims.name {
                    out.push_str(&format!("- name: {name}\n"));
                }
                out.push_str(&format!("- subject (module): `{}`\n", claims.subject));
                out.push_str(&format!("- issuer (account): `{}`\n", claims.issuer));
                out.push_str(&format!("- capabilities: {}\n", code_list(&claims.capabilities)));
                out.push_str(&format!("- tags: {}\n", code_list(&claims.tags)));
                let expires = claims.expires.map(format_time).unwrap_or_else(|| "never".into());
                out.push_str(&format!("- expires: {expires}\n\n"));
            }
        }
        if let Some(world) = &self.world {
            out.push_str(&format!("**World** `{}`\n", world.name));
            out.push_str(&format!(
                "- imports: {}\n",
                world.list(false).replace("nothing", "none")
            ));
            out.push_str(&format!("- exports: {}\n", world.list(true).replace("nothing", "none")));
        }
        if self.kind == WasmKind::Module {
            let items = |items: &[(String, &str)]| -> String {
                if items.is_empty() {
                    "none".into()
                } else {
                    items
                        .iter()
                        .map(|(name, kind)| format!("`{name}` ({kind})"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            out.push_str(&format!("- imports: {}\n", items(&self.imports)));
            out.push_str(&format!("- exports: {}\n", items(&self.exports)));
        }
        out.trim_end().to_string()
    }
}

fn code_list(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
    }
}

fn size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    }
}

/// `2026-11-26 20:08 UTC` for seconds since the epoch.
pub(crate) fn format_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let (h, m) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{d:02} {h:02}:{m:02} UTC")
}

/// Builders of real `.wasm` inputs for tests: components made by `wit-component` from a
/// dummy core module implementing a WIT world, core modules from WAT, signed by `wascap`.
#[cfg(test)]
pub(crate) mod fixtures {
    use wascap::prelude::KeyPair;
    use wit_component::{ComponentEncoder, StringEncoding, embed_component_metadata};
    use wit_parser::{ManglingAndAbi, Resolve};

    /// A component whose world is `world` of the WIT package `wit`.
    pub(crate) fn component(wit: &str, world: &str) -> Vec<u8> {
        let mut resolve = Resolve::default();
        let package = resolve.push_source("fixture.wit", wit).unwrap();
        let world = resolve.select_world(&[package], Some(world)).unwrap();
        let mut module = wit_component::dummy_module(&resolve, world, ManglingAndAbi::Standard32);
        embed_component_metadata(&mut module, &resolve, world, StringEncoding::UTF8).unwrap();
        ComponentEncoder::default()
            .module(&module)
            .unwrap()
            .validate(true)
            .encode()
            .unwrap()
    }

    /// A core module importing `wasmcloud:keyvalue`-style host calls and exporting one.
    pub(crate) fn module() -> Vec<u8> {
        wat::parse_str(
            r#"(module
                (import "wapc" "__host_call" (func (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
                (memory (export "memory") 1)
                (func (export "__guest_call") (param i32 i32) (result i32) i32.const 1))"#,
        )
        .unwrap()
    }

    /// `bytes` signed by a new account for a new module key.
    pub(crate) fn sign(bytes: &[u8], caps: &[&str], expires: Option<u64>) -> (Vec<u8>, String) {
        let account = KeyPair::new_account();
        let module = KeyPair::new_module();
        let claims = wascap::jwt::Claims::<wascap::jwt::Actor>::with_dates(
            "fixture".into(),
            account.public_key(),
            module.public_key(),
            Some(caps.iter().map(|c| c.to_string()).collect()),
            Some(vec!["test".into()]),
            None,
            expires,
            false,
            Some(1),
            Some("0.1.0".into()),
            None,
        );
        (
            wascap::wasm::embed_claims(bytes, &claims, &account).unwrap(),
            module.public_key(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIT: &str = "package demo:app@0.1.0;\n\ninterface store {\n  get: func(key: string) -> option<string>;\n}\n\ninterface handler {\n  handle: func(body: string) -> string;\n}\n\nworld app {\n  import store;\n  import log: func(msg: string);\n  export handler;\n}\n";

    #[test]
    fn a_component_has_its_world() {
        let wasm = parse(&fixtures::component(WIT, "app")).unwrap();
        assert_eq!(wasm.kind, WasmKind::Component);
        let world = wasm.world.unwrap();
        assert_eq!(world.name, "root:component/root");
        let ids = |items: &[WitItem]| items.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&world.imports), ["demo:app/store@0.1.0", "log"]);
        assert_eq!(ids(&world.exports), ["demo:app/handler@0.1.0"]);
        assert!(world.has(false, "demo", "app", "store"));
        assert!(!world.has(true, "demo", "app", "store"));
        assert!(world.has(true, "demo", "app", "handler"));
        assert_eq!(world.list(false), "`demo:app/store@0.1.0`, `log`");
        assert_eq!(wasm.claims, None);
    }

    #[test]
    fn a_signed_module_has_its_claims_imports_and_exports() {
        let (signed, subject) = fixtures::sign(&fixtures::module(), &["wasmcloud:keyvalue"], None);
        let wasm = parse(&signed).unwrap();
        assert_eq!(wasm.kind, WasmKind::Module);
        assert_eq!(wasm.imports, [("wapc.__host_call".to_string(), "func")]);
        assert_eq!(
            wasm.exports,
            [("memory".to_string(), "memory"), ("__guest_call".to_string(), "func")]
        );
        let claims = wasm.claims.clone().unwrap().unwrap();
        assert_eq!(claims.subject, subject);
        assert!(claims.issuer.starts_with('A'));
        assert_eq!(claims.capabilities, ["wasmcloud:keyvalue"]);
        assert_eq!(claims.tags, ["test"]);
        assert_eq!(claims.problems, Vec::<String>::new());
        let markdown = wasm.markdown("./a.wasm");
        assert!(markdown.starts_with("**`./a.wasm`**: core module, "), "{markdown}");
        assert!(markdown.contains("**Claims**: signed, verified (signature, hash and dates)\n\n- name: fixture\n"));
        assert!(markdown.contains(&format!("- subject (module): `{subject}`\n")));
        assert!(markdown.contains("- capabilities: `wasmcloud:keyvalue`\n- tags: `test`\n- expires: never"));
        assert!(
            markdown
                .ends_with("- imports: `wapc.__host_call` (func)\n- exports: `memory` (memory), `__guest_call` (func)")
        );
    }

    #[test]
    fn expired_and_tampered_claims_are_problems() {
        let (expired, _) = fixtures::sign(&fixtures::module(), &[], Some(1_000_000_000));
        let claims = parse(&expired).unwrap().claims.unwrap().unwrap();
        assert_eq!(claims.problems.len(), 1, "{:?}", claims.problems);
        assert!(
            claims.problems[0].starts_with("the claims expired "),
            "{:?}",
            claims.problems
        );
        assert_eq!(claims.expires, Some(1_000_000_000));
        assert_eq!(format_time(1_000_000_000), "2001-09-09 01:46 UTC");
        // Append a function body change: a data section added after signing.
        let (signed, _) = fixtures::sign(&fixtures::module(), &[], None);
        let mut tampered = signed.clone();
        wasm_encoder_custom(&mut tampered);
        let claims = parse(&tampered).unwrap().claims.unwrap().unwrap();
        assert_eq!(
            claims.problems,
            ["the module was changed after it was signed: its hash does not match the one in its claims"]
        );
    }

    #[test]
    fn a_garbage_claims_section_is_unreadable_claims() {
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        let (name, jwt) = (b"wasmcloud_jwt", b"not.a.jwt");
        module.extend([0, (1 + name.len() + jwt.len()) as u8, name.len() as u8]);
        module.extend_from_slice(name);
        module.extend_from_slice(jwt);
        let claims = parse(&module).unwrap().claims.unwrap();
        assert!(
            claims.clone().unwrap_err().starts_with("malformed claims: "),
            "{claims:?}"
        );
    }

    /// Appends a custom section (not the claims) to a module: its hash changes.
    fn wasm_encoder_custom(bytes: &mut Vec<u8>) {
        let name = b"extra";
        let payload = b"changed";
        bytes.push(0);
        bytes.push((1 + name.len() + payload.len()) as u8);
        bytes.push(name.len() as u8);
        bytes.extend_from_slice(name);
        bytes.extend_from_slice(payload);
    }

    #[test]
    fn corrupt_input_is_an_error_never_a_panic() {
        assert_eq!(parse(b"hello").unwrap_err(), "is not WebAssembly (no `\\0asm` header)");
        assert!(parse(b"\0asm\x01\0\0\0").is_ok());
        let (signed, _) = fixtures::sign(&fixtures::component(WIT, "app"), &["wasi:keyvalue"], None);
        assert!(parse(&signed).unwrap().claims.unwrap().unwrap().problems.is_empty());
        let module = fixtures::sign(&fixtures::module(), &[], None).0;
        for bytes in [&signed, &module] {
            // Every truncated prefix: an error, or (cut between sections) a smaller valid file.
            let valid = (0..bytes.len()).filter(|&end| parse(&bytes[..end]).is_ok()).count();
            assert!(valid * 20 < bytes.len(), "{valid} of {} prefixes parsed", bytes.len());
            // Bytes flipped one at a time (a sample of positions): no panic.
            for at in (0..bytes.len()).step_by(7) {
                let mut flipped = bytes.clone();
                flipped[at] ^= 0x5a;
                let _ = parse(&flipped);
            }
        }
        assert!(
            parse(&signed[..signed.len() - 3])
                .unwrap_err()
                .starts_with("is not valid WebAssembly: ")
        );
    }

    #[test]
    fn reads_are_cached_by_modification_time() {
        let dir = std::env::temp_dir().join(format!("wasmscope-wasm-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.wasm");
        std::fs::write(&path, fixtures::module()).unwrap();
        let first = read(&path);
        assert!(first.is_ok());
        assert!(Arc::ptr_eq(&first, &read(&path)));
        std::fs::write(&path, b"\0asm\x01\0\0").unwrap();
        assert!(read(&path).is_err());
        assert_eq!(*read(&dir.join("gone.wasm")), Err("cannot be read".to_string()));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The committed component fixtures (`tests/fixtures/manifests/components/`) are what
    /// [`fixtures::component`] builds from `app.wit` there; `WASMSCOPE_BLESS=1` rewrites them.
    #[test]
    fn component_fixtures_are_current() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/manifests/components");
        let wit = std::fs::read_to_string(dir.join("app.wit")).unwrap();
        for world in ["caller", "callee"] {
            let built = fixtures::component(&wit, world);
            assert_eq!(built, fixtures::component(&wit, world), "not reproducible");
            let path = dir.join(format!("{world}.wasm"));
            if std::env::var_os("WASMSCOPE_BLESS").is_some() {
                std::fs::write(&path, &built).unwrap();
            }
            assert_eq!(std::fs::read(&path).ok(), Some(built), "{} is stale", path.display());
        }
    }
}
