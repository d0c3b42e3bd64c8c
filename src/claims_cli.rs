//! `wasmscope claims …` and `wasmscope keys …`: inspect and sign actor claims, make keys, so a
//! developer can sign a debug build the way `wash` signs a release.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};

use wasmscope_runtime::actor::claims::{self, KeyPair, SignRequest};

// Parsed once per process: the size of the `Sign` variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum ClaimsCommand {
    /// Print a module's embedded claims and whether they verify (exit 1 when they do not).
    Inspect { module: PathBuf },
    /// Sign a module with claims (replacing any it has).
    Sign {
        module: PathBuf,
        /// Where to write the signed module (default: `<module>_s.wasm` beside it).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The actor's name (default: the file name).
        #[arg(long)]
        name: Option<String>,
        /// A capability the actor may call, e.g. `wasmcloud:keyvalue` (repeatable).
        #[arg(long = "cap", value_name = "CONTRACT")]
        caps: Vec<String>,
        /// A tag (repeatable).
        #[arg(long = "tag")]
        tags: Vec<String>,
        #[arg(long)]
        rev: Option<i32>,
        #[arg(long)]
        ver: Option<String>,
        /// Claims expire this many days from now (default: never).
        #[arg(long, value_name = "DAYS")]
        expires_in_days: Option<u64>,
        /// Claims become valid this many days from now (default: now).
        #[arg(long, value_name = "DAYS")]
        not_before_days: Option<u64>,
        /// The signing account: a seed (`SA…`) or a file holding one
        /// (default: `account.nk` in the keys directory, made when missing).
        #[arg(long)]
        issuer: Option<String>,
        /// The module key: a seed (`SM…`) or a file holding one
        /// (default: `<name>_module.nk` in the keys directory, made when missing).
        #[arg(long)]
        subject: Option<String>,
        /// Where default keys live (default: $WASMSCOPE_KEYS or ~/.wasmscope/keys).
        #[arg(long)]
        keys_dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Make a key pair and print its public key and seed.
    Gen { kind: KeyKind },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KeyKind {
    Account,
    Module,
}

pub fn claims(command: ClaimsCommand) -> Result<ExitCode> {
    match command {
        ClaimsCommand::Inspect { module } => {
            let bytes = std::fs::read(&module).with_context(|| format!("cannot read `{}`", module.display()))?;
            match claims::read(&bytes)? {
                None => {
                    println!("`{}` is not signed: it has no embedded claims", module.display());
                    Ok(ExitCode::from(1))
                }
                Some(claims) => {
                    print!("{}", claims.describe());
                    Ok(if claims.problems.is_empty() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    })
                }
            }
        }
        ClaimsCommand::Sign {
            module,
            output,
            name,
            caps,
            tags,
            rev,
            ver,
            expires_in_days,
            not_before_days,
            issuer,
            subject,
            keys_dir,
        } => {
            let bytes = std::fs::read(&module).with_context(|| format!("cannot read `{}`", module.display()))?;
            let stem = module
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "actor".into());
            let name = name.unwrap_or_else(|| stem.clone());
            let keys_dir = keys_dir.unwrap_or_else(default_keys_dir);
            let account = key(issuer.as_deref(), &keys_dir.join("account.nk"), KeyKind::Account)?;
            let module_key = key(
                subject.as_deref(),
                &keys_dir.join(format!("{name}_module.nk")),
                KeyKind::Module,
            )?;
            let days = |d: u64| Duration::from_secs(d * 86_400);
            let request = SignRequest {
                name,
                capabilities: caps,
                tags,
                revision: rev,
                version: ver,
                expires_in: expires_in_days.map(days),
                not_before_in: not_before_days.map(days),
            };
            let signed = claims::sign(&bytes, &request, &account, &module_key)?;
            let output = output.unwrap_or_else(|| module.with_file_name(format!("{stem}_s.wasm")));
            std::fs::write(&output, signed).with_context(|| format!("cannot write `{}`", output.display()))?;
            println!(
                "Signed `{}` as module {} (account {})",
                output.display(),
                module_key.public_key(),
                account.public_key()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn keys(command: KeysCommand) -> Result<ExitCode> {
    let KeysCommand::Gen { kind } = command;
    let pair = new_key(kind);
    println!("Public Key: {}", pair.public_key());
    println!("Seed: {}", seed(&pair)?);
    Ok(ExitCode::SUCCESS)
}

fn default_keys_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("WASMSCOPE_KEYS") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"));
    home.map(PathBuf::from).unwrap_or_default().join(".wasmscope/keys")
}

/// A key from a seed, a seed file, or the default file (made when missing).
fn key(given: Option<&str>, default_file: &Path, kind: KeyKind) -> Result<KeyPair> {
    let seed_text = match given {
        Some(text) if text.starts_with('S') && !Path::new(text).exists() => text.to_string(),
        Some(file) => std::fs::read_to_string(file).with_context(|| format!("cannot read the key file `{file}`"))?,
        None if default_file.exists() => std::fs::read_to_string(default_file)
            .with_context(|| format!("cannot read the key file `{}`", default_file.display()))?,
        None => {
            let pair = new_key(kind);
            if let Some(dir) = default_file.parent() {
                std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
            }
            std::fs::write(default_file, seed(&pair)?)
                .with_context(|| format!("cannot write `{}`", default_file.display()))?;
            eprintln!("wasmscope: made a new key `{}`", default_file.display());
            return Ok(pair);
        }
    };
    let pair = KeyPair::from_seed(seed_text.trim()).map_err(|e| anyhow::anyhow!("not a valid seed: {e}"))?;
    let expected = match kind {
        KeyKind::Account => 'A',
        KeyKind::Module => 'M',
    };
    if !pair.public_key().starts_with(expected) {
        bail!(
            "the key {} is not {} key",
            pair.public_key(),
            match kind {
                KeyKind::Account => "an account",
                KeyKind::Module => "a module",
            }
        );
    }
    Ok(pair)
}

fn new_key(kind: KeyKind) -> KeyPair {
    match kind {
        KeyKind::Account => KeyPair::new_account(),
        KeyKind::Module => KeyPair::new_module(),
    }
}

fn seed(pair: &KeyPair) -> Result<String> {
    pair.seed()
        .map_err(|e| anyhow::anyhow!("cannot read the key's seed: {e}"))
}
