//! setBreakpoints and setExceptionBreakpoints.

use anyhow::{Context, Result};
use dap_types::{Breakpoint, SetBreakpointsArguments, SetExceptionBreakpointsArguments, Source};
use serde_json::{Value, json};
use wasmscope_runtime::debug::{BreakpointStatus, ModuleDebugInfo};

use super::lifecycle::TRAP_FILTER;
use crate::server::{Server, arguments};

impl Server {
    pub(crate) fn set_breakpoints(&mut self, args: Value) -> Result<Option<Value>> {
        let args: SetBreakpointsArguments = arguments("setBreakpoints", args)?;
        let path = args.source.path.clone().context("setBreakpoints needs `source.path`")?;
        let lines: Vec<u32> = match (&args.breakpoints, &args.lines) {
            (Some(bps), _) => bps.iter().map(|b| b.line as u32).collect(),
            (None, Some(lines)) => lines.iter().map(|l| *l as u32).collect(),
            (None, None) => Vec::new(),
        };
        let module = match &self.session {
            Some(session) => session.module_debug_info(),
            None => ModuleDebugInfo::NotLoaded,
        };
        let statuses = self.breakpoints.set(module, &path, &lines);
        if let Some(session) = &self.session {
            session.arm_breakpoints(self.breakpoints.armed());
        }
        let breakpoints: Vec<Breakpoint> = statuses.iter().map(to_dap_breakpoint).collect();
        Ok(Some(json!({ "breakpoints": breakpoints })))
    }

    pub(crate) fn set_exception_breakpoints(&mut self, args: Value) -> Result<Option<Value>> {
        let args: SetExceptionBreakpointsArguments = arguments("setExceptionBreakpoints", args)?;
        self.stop_on_trap = args.filters.iter().any(|f| f == TRAP_FILTER);
        if let Some(session) = &self.session {
            session.stop_on_trap(self.stop_on_trap);
        }
        Ok(Some(json!({})))
    }
}

pub(crate) fn to_dap_breakpoint(status: &BreakpointStatus) -> Breakpoint {
    Breakpoint {
        id: Some(status.id.into()),
        verified: status.verified,
        message: status.message.clone(),
        source: Some(source_for(&status.path)),
        line: status.line.map(u64::from),
        column: None,
        end_line: None,
        end_column: None,
        instruction_reference: None,
        offset: None,
        reason: None,
    }
}

pub(crate) fn source_for(path: &str) -> Source {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_string();
    Source {
        name: Some(name),
        path: Some(path.to_string()),
        source_reference: None,
        presentation_hint: None,
        origin: None,
        sources: None,
        adapter_data: None,
        checksums: None,
    }
}
