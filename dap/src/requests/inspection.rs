//! threads, stackTrace, scopes, variables, source, readMemory, exceptionInfo.

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use dap_types::{
    EvaluateArguments, ExceptionBreakMode, ExceptionDetails, ExceptionInfoResponse, ReadMemoryArguments,
    ReadMemoryResponse, Scope, ScopePresentationHint, ScopesArguments, SourceArguments, SourcePresentationHint,
    StackFrame, StackFramePresentationHint, StackTraceArguments, Thread, Variable, VariablesArguments,
};
use serde_json::{Value, json};
use wasmscope_runtime::debug::{StackFrameInfo, VariableEntry};

use super::breakpoints::source_for;
use crate::server::{Server, arguments};

/// The most bytes one readMemory answers with.
const MAX_READ: u64 = 1 << 20;

impl Server {
    pub(crate) fn threads(&self) -> Result<Option<Value>> {
        let threads = vec![Thread {
            id: 1,
            name: "main".into(),
        }];
        Ok(Some(json!({ "threads": threads })))
    }

    pub(crate) async fn stack_trace(&self, args: Value) -> Result<Option<Value>> {
        let args: StackTraceArguments = arguments("stackTrace", args)?;
        let frames = self.session()?.stack_trace().await?;
        let total = frames.len() as u64;
        let start = args.start_frame.unwrap_or(0) as usize;
        let levels = args.levels.filter(|l| *l > 0).map(|l| l as usize).unwrap_or(usize::MAX);
        let frames: Vec<StackFrame> = frames.iter().skip(start).take(levels).map(to_dap_frame).collect();
        Ok(Some(json!({ "stackFrames": frames, "totalFrames": total })))
    }

    pub(crate) async fn scopes(&self, args: Value) -> Result<Option<Value>> {
        let args: ScopesArguments = arguments("scopes", args)?;
        let frame_id = u32::try_from(args.frame_id).context("frameId out of range")?;
        let scopes: Vec<Scope> = self
            .session()?
            .scopes(frame_id)
            .await?
            .into_iter()
            .map(|s| Scope {
                presentation_hint: (s.name == "Locals").then_some(ScopePresentationHint::Locals),
                name: s.name,
                variables_reference: s.reference,
                named_variables: Some(s.named_variables),
                indexed_variables: None,
                expensive: false,
                source: None,
                line: None,
                column: None,
                end_line: None,
                end_column: None,
            })
            .collect();
        Ok(Some(json!({ "scopes": scopes })))
    }

    pub(crate) async fn variables(&self, args: Value) -> Result<Option<Value>> {
        let args: VariablesArguments = arguments("variables", args)?;
        let entries = self
            .session()?
            .variables(
                args.variables_reference,
                args.start.unwrap_or(0),
                args.count.filter(|c| *c > 0),
            )
            .await?;
        let variables: Vec<Variable> = entries.into_iter().map(to_dap_variable).collect();
        Ok(Some(json!({ "variables": variables })))
    }

    /// Variable paths (`line.to.x`, `v[2]`) in the given frame, for hovers, watches and the
    /// debug console.
    pub(crate) async fn evaluate(&self, args: Value) -> Result<Option<Value>> {
        let args: EvaluateArguments = arguments("evaluate", args)?;
        if super::console::is_console_command(&args.expression) {
            return self.console_command(&args.expression);
        }
        let frame_id = args
            .frame_id
            .map(u32::try_from)
            .transpose()
            .context("frameId out of range")?
            .unwrap_or(1);
        let entry = self.session()?.evaluate(frame_id, &args.expression).await?;
        Ok(Some(json!({
            "result": entry.value,
            "type": Some(entry.type_name).filter(|t| !t.is_empty()),
            "variablesReference": entry.reference,
            "namedVariables": entry.named,
            "indexedVariables": entry.indexed,
            "memoryReference": entry.address.map(|a| format!("{a:#x}")),
        })))
    }

    pub(crate) fn source(&self, args: Value) -> Result<Option<Value>> {
        let args: SourceArguments = arguments("source", args)?;
        let path = args
            .source
            .and_then(|s| s.path)
            .context("this source is not available: wasmscope serves sources by path only")?;
        let content = std::fs::read_to_string(&path)
            .with_context(|| format!("the source `{path}` is not available on this machine"))?;
        Ok(Some(json!({ "content": content })))
    }

    pub(crate) async fn read_memory(&self, args: Value) -> Result<Option<Value>> {
        let args: ReadMemoryArguments = arguments("readMemory", args)?;
        let base = parse_address(&args.memory_reference)?;
        let address = base.wrapping_add(args.offset.unwrap_or(0));
        let count = args.count.min(MAX_READ);
        let bytes = self.session()?.read_memory(address, count as usize).await?;
        let response = ReadMemoryResponse {
            address: format!("{address:#x}"),
            unreadable_bytes: Some(args.count - bytes.len() as u64),
            data: Some(base64::engine::general_purpose::STANDARD.encode(&bytes)),
        };
        Ok(Some(serde_json::to_value(response)?))
    }

    pub(crate) fn exception_info(&self) -> Result<Option<Value>> {
        let last = self.last_exception.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let Some((text, description)) = last else {
            bail!("the program has not stopped on a trap")
        };
        let response = ExceptionInfoResponse {
            exception_id: "trap".into(),
            description: Some(description.clone()),
            break_mode: ExceptionBreakMode::Always,
            details: Some(ExceptionDetails {
                message: Some(description),
                type_name: Some(text),
                full_type_name: None,
                evaluate_name: None,
                stack_trace: None,
                inner_exception: None,
            }),
        };
        Ok(Some(serde_json::to_value(response)?))
    }
}

fn parse_address(reference: &str) -> Result<u64> {
    let digits = reference.trim().trim_start_matches("0x").trim_start_matches("0X");
    u64::from_str_radix(digits, 16).with_context(|| format!("`{reference}` is not a memory reference"))
}

fn to_dap_frame(frame: &StackFrameInfo) -> StackFrame {
    let source = frame.path.as_deref().map(|path| {
        let mut source = source_for(path);
        if !frame.source_exists {
            // Library code whose source is not here: clients skip it when choosing what to show.
            source.presentation_hint = Some(SourcePresentationHint::Deemphasize);
        }
        source
    });
    StackFrame {
        id: frame.id.into(),
        name: frame.name.clone(),
        presentation_hint: (!frame.source_exists).then_some(StackFramePresentationHint::Subtle),
        source,
        line: frame.line.into(),
        column: frame.column.max(1).into(),
        end_line: None,
        end_column: None,
        can_restart: None,
        instruction_pointer_reference: Some(format!("{:#x}", frame.module_pc)),
        module_id: None,
    }
}

fn to_dap_variable(entry: VariableEntry) -> Variable {
    Variable {
        name: entry.name,
        value: entry.value,
        type_: Some(entry.type_name).filter(|t| !t.is_empty()),
        presentation_hint: None,
        evaluate_name: None,
        variables_reference: entry.reference,
        named_variables: entry.named,
        indexed_variables: entry.indexed,
        memory_reference: entry.address.map(|a| format!("{a:#x}")),
    }
}
