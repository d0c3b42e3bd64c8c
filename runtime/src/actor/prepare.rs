//! Everything decided before a program is instantiated, the same for running and debugging:
//! whether its invocations make sense for its kind, whether its claims admit it, and the
//! providers it gets.

use anyhow::{Result, bail};

use super::claims;
use super::kind::ProgramKind;
use super::providers::{Grant, Providers};
use crate::host::ProgramConfig;

/// The providers a program runs with, and notes for the user (not errors).
pub struct Prepared {
    pub providers: Providers,
    pub notes: Vec<String>,
    /// A waPC actor with nothing to invoke, serve or wait for: [`Prepared::idle_note`] says so
    /// where nothing else will give it work (a debugger's `serve` will).
    pub idle: bool,
}

impl Prepared {
    pub fn idle_note(config: &ProgramConfig) -> String {
        format!(
            "`{}` is a waPC actor and nothing was given to invoke",
            config.program.display()
        )
    }
}

pub fn prepare(kind: ProgramKind, config: &ProgramConfig, module: &[u8]) -> Result<Prepared> {
    let mut notes = Vec::new();
    match kind {
        ProgramKind::Command if !config.invocations.is_empty() => bail!(
            "`{}` is a WASI command program, not an actor: it has no operations to invoke",
            config.program.display()
        ),
        ProgramKind::Command if !config.messages.is_empty() => bail!(
            "`{}` is a WASI command program, not an actor: it takes no messages",
            config.program.display()
        ),
        _ => {}
    }
    let idle = kind == ProgramKind::Wapc
        && config.invocations.is_empty()
        && config.http.is_none()
        && config.providers.subscriptions.is_empty();
    let mut providers = Providers::new(config)?;
    providers.linked = config.links.clone();
    let (claims, warning) = claims::admit(module, config.allow_invalid_claims)?;
    notes.extend(warning);
    providers.granted = claims.map(|claims| Grant {
        subject: claims.subject,
        capabilities: claims.capabilities,
    });
    Ok(Prepared { providers, notes, idle })
}
