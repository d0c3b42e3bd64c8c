//! An actor's signed claims (the `wasmcloud_jwt` custom section, read with `wascap`): who
//! issued it, what it is, until when it is valid, and which capabilities it may call. A host
//! refuses a module whose claims fail any check, saying which one.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use wascap::jwt::{Actor, Claims, validate_token};
pub use wascap::prelude::KeyPair;

/// The claims of a signed actor, after verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorClaims {
    /// The module's public key (`M…`).
    pub subject: String,
    /// The signing account's public key (`A…`).
    pub issuer: String,
    pub name: Option<String>,
    /// Contracts the actor may call, e.g. `wasmcloud:keyvalue`.
    pub capabilities: Vec<String>,
    pub tags: Vec<String>,
    pub revision: Option<i32>,
    pub version: Option<String>,
    pub issued_at: u64,
    pub expires: Option<u64>,
    pub not_before: Option<u64>,
    /// Problems found by verification; empty for claims that pass every check.
    pub problems: Vec<String>,
}

/// Reads and verifies the claims embedded in `module`: `Ok(None)` for an unsigned module.
/// Claims that fail a check are returned with `problems` set (see [`ActorClaims::verified`]);
/// an error means there is a claims section that cannot be read at all.
pub fn read(module: &[u8]) -> Result<Option<ActorClaims>> {
    let token = match wascap::wasm::extract_claims(module) {
        Ok(Some(token)) => token,
        Ok(None) => return Ok(None),
        // `ErrorKind` is not exported: its message is the only way to tell this case apart.
        Err(e) if e.to_string() == "Invalid module hash" => {
            // The hash check failed: read the claims anyway, to say whose they are.
            let jwt = find_jwt(module).context("the module's claims section cannot be read")?;
            let claims = Claims::<Actor>::decode(&jwt).map_err(|e| anyhow::anyhow!("malformed claims: {e}"))?;
            let mut read = from_claims(&claims);
            read.problems.push(
                "the module was changed after it was signed: its hash does not match the one in its claims".into(),
            );
            read.problems.extend(check_token(&jwt)?);
            return Ok(Some(read));
        }
        Err(e) => bail!("the module's claims cannot be read: {e}"),
    };
    let mut read = from_claims(&token.claims);
    read.problems.extend(check_token(&token.jwt)?);
    Ok(Some(read))
}

/// Whether a module may run, and with which capabilities: unsigned modules run with every
/// capability (local development); signed ones only if their claims verify, unless
/// `allow_invalid` (then with a warning).
pub fn admit(module: &[u8], allow_invalid: bool) -> Result<(Option<ActorClaims>, Option<String>)> {
    let Some(claims) = read(module)? else {
        return Ok((None, None));
    };
    if claims.problems.is_empty() || !allow_invalid {
        return Ok((Some(claims.verified()?), None));
    }
    let warning = format!(
        "running an actor whose claims are not valid, as asked: {}",
        claims.problems.join("; ")
    );
    Ok((Some(claims), Some(warning)))
}

impl ActorClaims {
    /// The claims if they passed every check, else an error naming the failed checks.
    pub fn verified(self) -> Result<ActorClaims> {
        if self.problems.is_empty() {
            Ok(self)
        } else {
            bail!(
                "the actor's signed claims are not valid: {} (pass --allow-invalid-claims to run it anyway)",
                self.problems.join("; ")
            )
        }
    }

    /// A readable summary, as `wasmscope claims inspect` prints it.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        let time = |t: Option<u64>, none: &str| t.map(format_time).unwrap_or_else(|| none.to_string());
        let _ = writeln!(out, "Name:          {}", self.name.as_deref().unwrap_or("(none)"));
        let _ = writeln!(out, "Module (sub):  {}", self.subject);
        let _ = writeln!(out, "Account (iss): {}", self.issuer);
        let _ = writeln!(out, "Capabilities:  {}", list(&self.capabilities));
        let _ = writeln!(out, "Tags:          {}", list(&self.tags));
        let _ = writeln!(
            out,
            "Version:       {} (revision {})",
            self.version.as_deref().unwrap_or("(none)"),
            self.revision.map(|r| r.to_string()).unwrap_or_else(|| "none".into())
        );
        let _ = writeln!(out, "Issued:        {}", format_time(self.issued_at));
        let _ = writeln!(out, "Valid from:    {}", time(self.not_before, "immediately"));
        let _ = writeln!(out, "Expires:       {}", time(self.expires, "never"));
        if self.problems.is_empty() {
            let _ = writeln!(out, "Verification:  signature, hash and dates valid");
        } else {
            for problem in &self.problems {
                let _ = writeln!(out, "INVALID:       {problem}");
            }
        }
        out
    }
}

/// What to sign a module with.
#[derive(Debug, Clone, Default)]
pub struct SignRequest {
    pub name: String,
    pub capabilities: Vec<String>,
    pub tags: Vec<String>,
    pub revision: Option<i32>,
    pub version: Option<String>,
    pub expires_in: Option<Duration>,
    pub not_before_in: Option<Duration>,
}

/// `module` with claims signed by `account` for the module key `module_key` (replacing any
/// claims it had).
pub fn sign(module: &[u8], request: &SignRequest, account: &KeyPair, module_key: &KeyPair) -> Result<Vec<u8>> {
    let now = now();
    let claims = Claims::<Actor>::with_dates(
        request.name.clone(),
        account.public_key(),
        module_key.public_key(),
        Some(request.capabilities.clone()),
        Some(request.tags.clone()),
        request.not_before_in.map(|d| now + d.as_secs()),
        request.expires_in.map(|d| now + d.as_secs()),
        false,
        request.revision,
        request.version.clone(),
        None,
    );
    wascap::wasm::embed_claims(module, &claims, account).map_err(|e| anyhow::anyhow!("cannot sign the module: {e}"))
}

fn from_claims(claims: &Claims<Actor>) -> ActorClaims {
    let meta = claims.metadata.clone().unwrap_or_default();
    ActorClaims {
        subject: claims.subject.clone(),
        issuer: claims.issuer.clone(),
        name: meta.name,
        capabilities: meta.caps.unwrap_or_default(),
        tags: meta.tags.unwrap_or_default(),
        revision: meta.rev,
        version: meta.ver,
        issued_at: claims.issued_at,
        expires: claims.expires,
        not_before: claims.not_before,
        problems: Vec::new(),
    }
}

/// Signature and validity dates of a JWT.
fn check_token(jwt: &str) -> Result<Vec<String>> {
    let validation = validate_token::<Actor>(jwt).map_err(|e| anyhow::anyhow!("malformed claims: {e}"))?;
    let mut problems = Vec::new();
    if !validation.signature_valid {
        problems.push("the signature does not match the issuer's key".to_string());
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
    Ok(problems)
}

/// The JWT text of the module's claims section, found without checking it.
fn find_jwt(module: &[u8]) -> Option<String> {
    wasmparser::Parser::new(0)
        .parse_all(module)
        .find_map(|payload| match payload {
            Ok(wasmparser::Payload::CustomSection(section)) if matches!(section.name(), "wasmcloud_jwt" | "jwt") => {
                String::from_utf8(section.data().to_vec()).ok()
            }
            _ => None,
        })
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs()
}

/// Seconds since the epoch as a UTC date and time.
fn format_time(secs: u64) -> String {
    let days = secs / 86_400;
    let rest = secs % 86_400;
    // Howard Hinnant's civil-from-days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest valid module: magic and version.
    const EMPTY_MODULE: &[u8] = b"\0asm\x01\0\0\0";

    fn keys() -> (KeyPair, KeyPair) {
        (KeyPair::new_account(), KeyPair::new_module())
    }

    fn request() -> SignRequest {
        SignRequest {
            name: "counter".into(),
            capabilities: vec!["wasmcloud:keyvalue".into()],
            ..SignRequest::default()
        }
    }

    #[test]
    fn unsigned_modules_have_no_claims() {
        assert_eq!(read(EMPTY_MODULE).unwrap(), None);
    }

    #[test]
    fn signed_claims_round_trip_and_verify() {
        let (account, module) = keys();
        let signed = sign(EMPTY_MODULE, &request(), &account, &module).unwrap();
        let claims = read(&signed).unwrap().unwrap().verified().unwrap();
        assert_eq!(claims.subject, module.public_key());
        assert_eq!(claims.issuer, account.public_key());
        assert_eq!(claims.name.as_deref(), Some("counter"));
        assert_eq!(claims.capabilities, ["wasmcloud:keyvalue"]);
        assert!(
            claims
                .describe()
                .contains("Verification:  signature, hash and dates valid")
        );
    }

    #[test]
    fn tampered_expired_and_early_modules_say_which_check_failed() {
        let (account, module) = keys();
        let mut tampered = sign(EMPTY_MODULE, &request(), &account, &module).unwrap();
        // A custom section appended after signing changes the module's hash.
        tampered.extend_from_slice(b"\0\x05\x04evil");
        let error = read(&tampered).unwrap().unwrap().verified().unwrap_err().to_string();
        assert!(
            error.contains("the module was changed after it was signed: its hash does not match"),
            "{error}"
        );

        let expired = SignRequest {
            expires_in: Some(Duration::ZERO),
            ..request()
        };
        let signed = sign(EMPTY_MODULE, &expired, &account, &module).unwrap();
        std::thread::sleep(Duration::from_millis(1100));
        let error = read(&signed).unwrap().unwrap().verified().unwrap_err().to_string();
        assert!(error.contains("the claims expired"), "{error}");

        let early = SignRequest {
            not_before_in: Some(Duration::from_secs(86_400)),
            ..request()
        };
        let signed = sign(EMPTY_MODULE, &early, &account, &module).unwrap();
        let error = read(&signed).unwrap().unwrap().verified().unwrap_err().to_string();
        assert!(error.contains("the claims are not valid yet (valid in "), "{error}");
    }

    #[test]
    fn dates_print_as_utc() {
        assert_eq!(format_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_time(1_795_000_000), "2026-11-18 11:06:40 UTC");
        assert_eq!(format_time(951_782_400), "2000-02-29 00:00:00 UTC");
    }
}
