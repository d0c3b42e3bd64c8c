//! The host side of the waPC protocol (module `wapc`), as the `wapc` host crate implements it:
//! the host hands the guest an operation and payload through `__guest_request` when it calls
//! `__guest_call`, and the guest calls capabilities with `__host_call`.

use anyhow::{Context, Result};
use wasmtime::{Caller, Extern, Instance, Linker, Store};

use super::invocation::{Invocation, Outcome};
use crate::host::HostState;

/// The buffers of the invocation in flight.
#[derive(Debug, Default)]
pub struct WapcState {
    /// Operation and payload of the current `__guest_call`.
    request: Option<Invocation>,
    guest_response: Option<Vec<u8>>,
    guest_error: Option<String>,
    /// The answer of the last `__host_call`.
    host_response: Option<Vec<u8>>,
    host_error: Option<String>,
}

/// Initialisation exports a waPC host calls once after instantiation, in this order.
const START_FUNCTIONS: [&str; 3] = ["_start", "_initialize", "wapc_init"];

/// Defines the `wapc` imports. Modules that do not import them are unaffected.
pub fn add_to_linker(linker: &mut Linker<HostState>) -> Result<()> {
    linker.func_wrap(
        "wapc",
        "__guest_request",
        |mut caller: Caller<'_, HostState>, op_ptr: i32, ptr: i32| -> wasmtime::Result<()> {
            let Some(request) = caller.data().actor.wapc.request.clone() else {
                return Err(wasmtime::format_err!(
                    "`__guest_request` called outside of an invocation"
                ));
            };
            write(&mut caller, op_ptr, request.operation.as_bytes())?;
            write(&mut caller, ptr, &request.payload)
        },
    )?;
    linker.func_wrap(
        "wapc",
        "__guest_response",
        |mut caller: Caller<'_, HostState>, ptr: i32, len: i32| -> wasmtime::Result<()> {
            let bytes = read(&mut caller, ptr, len)?;
            caller.data_mut().actor.wapc.guest_response = Some(bytes);
            Ok(())
        },
    )?;
    linker.func_wrap(
        "wapc",
        "__guest_error",
        |mut caller: Caller<'_, HostState>, ptr: i32, len: i32| -> wasmtime::Result<()> {
            let bytes = read(&mut caller, ptr, len)?;
            caller.data_mut().actor.wapc.guest_error = Some(String::from_utf8_lossy(&bytes).into_owned());
            Ok(())
        },
    )?;
    linker.func_wrap(
        "wapc",
        "__host_call",
        |mut caller: Caller<'_, HostState>,
         binding_ptr: i32,
         binding_len: i32,
         namespace_ptr: i32,
         namespace_len: i32,
         operation_ptr: i32,
         operation_len: i32,
         payload_ptr: i32,
         payload_len: i32|
         -> wasmtime::Result<i32> {
            let binding = read_text(&mut caller, (binding_ptr, binding_len))?;
            let namespace = read_text(&mut caller, (namespace_ptr, namespace_len))?;
            let operation = read_text(&mut caller, (operation_ptr, operation_len))?;
            let payload = read(&mut caller, payload_ptr, payload_len)?;
            let actor = &mut caller.data_mut().actor;
            let result = actor.host_call(&binding, &namespace, &operation, &payload);
            let wapc = &mut actor.wapc;
            Ok(match result {
                Ok(response) => {
                    wapc.host_response = Some(response);
                    wapc.host_error = None;
                    1
                }
                Err(error) => {
                    wapc.host_response = None;
                    wapc.host_error = Some(error);
                    0
                }
            })
        },
    )?;
    linker.func_wrap("wapc", "__host_response_len", |caller: Caller<'_, HostState>| -> i32 {
        caller
            .data()
            .actor
            .wapc
            .host_response
            .as_ref()
            .map_or(0, |r| r.len() as i32)
    })?;
    linker.func_wrap(
        "wapc",
        "__host_response",
        |mut caller: Caller<'_, HostState>, ptr: i32| -> wasmtime::Result<()> {
            let response = caller.data().actor.wapc.host_response.clone().unwrap_or_default();
            write(&mut caller, ptr, &response)
        },
    )?;
    linker.func_wrap("wapc", "__host_error_len", |caller: Caller<'_, HostState>| -> i32 {
        caller
            .data()
            .actor
            .wapc
            .host_error
            .as_ref()
            .map_or(0, |e| e.len() as i32)
    })?;
    linker.func_wrap(
        "wapc",
        "__host_error",
        |mut caller: Caller<'_, HostState>, ptr: i32| -> wasmtime::Result<()> {
            let error = caller.data().actor.wapc.host_error.clone().unwrap_or_default();
            write(&mut caller, ptr, error.as_bytes())
        },
    )?;
    linker.func_wrap(
        "wapc",
        "__console_log",
        |mut caller: Caller<'_, HostState>, ptr: i32, len: i32| -> wasmtime::Result<()> {
            let text = read_text(&mut caller, (ptr, len))?;
            caller.data().actor.console_log(&text);
            Ok(())
        },
    )?;
    Ok(())
}

/// Calls the guest's initialisation exports (those it has).
pub(super) async fn initialize(store: &mut Store<HostState>, instance: &Instance) -> Result<()> {
    for name in START_FUNCTIONS {
        if let Ok(start) = instance.get_typed_func::<(), ()>(&mut *store, name) {
            start
                .call_async(&mut *store, ())
                .await
                .map_err(anyhow::Error::from)
                .with_context(|| format!("the actor's `{name}` failed"))?;
        }
    }
    Ok(())
}

/// Invokes one operation through `__guest_call`. A trap is an error of the invocation, not
/// of the host: the caller gets it and the actor stays loaded for the next invocation.
pub(super) async fn invoke(store: &mut Store<HostState>, instance: &Instance, invocation: &Invocation) -> Outcome {
    let call = match instance.get_typed_func::<(i32, i32), i32>(&mut *store, "__guest_call") {
        Ok(call) => call,
        Err(e) => return Outcome::Error(format!("the actor has no usable `__guest_call`: {e}")),
    };
    let (Ok(op_len), Ok(payload_len)) = (
        i32::try_from(invocation.operation.len()),
        i32::try_from(invocation.payload.len()),
    ) else {
        return Outcome::Error("the invocation is too large for a 32-bit guest".into());
    };
    let wapc = &mut store.data_mut().actor.wapc;
    *wapc = WapcState {
        request: Some(invocation.clone()),
        ..WapcState::default()
    };
    let result = call.call_async(&mut *store, (op_len, payload_len)).await;
    let wapc = std::mem::take(&mut store.data_mut().actor.wapc);
    match result {
        Ok(1) => Outcome::Response(wapc.guest_response.unwrap_or_default()),
        Ok(_) => Outcome::Error(
            wapc.guest_error
                .unwrap_or_else(|| format!("`{}` failed without an error message", invocation.operation)),
        ),
        Err(trap) => Outcome::Error(describe_trap(&trap)),
    }
}

/// A trap in one line: its cause and the innermost frame of the actor's own code (not the
/// standard library's panic machinery), e.g. "wasm `unreachable` instruction executed in
/// wapc_actor::panic".
fn describe_trap(error: &wasmtime::Error) -> String {
    let cause = match error.downcast_ref::<wasmtime::Trap>() {
        Some(trap) => trap.to_string(),
        None => error.root_cause().to_string(),
    };
    let frame = error.downcast_ref::<wasmtime::WasmBacktrace>().and_then(|backtrace| {
        backtrace
            .frames()
            .iter()
            .filter_map(|frame| frame.func_name())
            .map(|name| format!("{:#}", rustc_demangle::demangle(name)))
            .find(|name| !is_runtime_frame(name))
    });
    match frame {
        Some(name) => format!("{cause} in {name}"),
        None => cause,
    }
}

/// Frames of the standard library and of the waPC glue, which say nothing about the actor.
fn is_runtime_frame(name: &str) -> bool {
    const LIBRARIES: [&str; 8] = [
        "std",
        "core",
        "alloc",
        "__rust",
        "__rustc",
        "rust_",
        "wapc_guest",
        "__guest_call",
    ];
    let name = name.trim_start_matches('<');
    // `<usize as core::slice::index::SliceIndex<[T]>>::index` is library code too.
    let implemented_trait = name.split_once(" as ").map(|(_, t)| t).unwrap_or("");
    LIBRARIES
        .iter()
        .any(|library| name.starts_with(library) || implemented_trait.starts_with(library))
}

fn memory(caller: &mut Caller<'_, HostState>) -> wasmtime::Result<wasmtime::Memory> {
    match caller.get_export("memory") {
        Some(Extern::Memory(memory)) => Ok(memory),
        _ => Err(wasmtime::format_err!("the actor exports no `memory`")),
    }
}

fn read(caller: &mut Caller<'_, HostState>, ptr: i32, len: i32) -> wasmtime::Result<Vec<u8>> {
    let memory = memory(caller)?;
    let mut bytes = vec![0; len as u32 as usize];
    memory
        .read(&*caller, ptr as u32 as usize, &mut bytes)
        .map_err(|_| wasmtime::format_err!("the actor passed a buffer outside its memory"))?;
    Ok(bytes)
}

fn read_text(caller: &mut Caller<'_, HostState>, (ptr, len): (i32, i32)) -> wasmtime::Result<String> {
    let bytes = read(caller, ptr, len)?;
    String::from_utf8(bytes).map_err(|_| wasmtime::format_err!("the actor passed text that is not UTF-8"))
}

fn write(caller: &mut Caller<'_, HostState>, ptr: i32, bytes: &[u8]) -> wasmtime::Result<()> {
    let memory = memory(caller)?;
    memory
        .write(&mut *caller, ptr as u32 as usize, bytes)
        .map_err(|_| wasmtime::format_err!("the actor passed a buffer outside its memory"))
}
