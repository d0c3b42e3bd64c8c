//! The core modules of a program, as the debugger sees them: a core program is one; inside a
//! component wasmtime compiles each one on its own, with PCs relative to its own binary, and
//! each carries its own DWARF (a Rust `wasm32-wasip2` component has one module with the
//! program and its DWARF, and small shim modules wit-component adds).

use std::path::Path;
use std::sync::Arc;

use anyhow::{Result, anyhow};
use wasmtime::Module;

use crate::ModuleImage;
use crate::dwarf::DebugInfo;

/// One core module of the program, indexed.
pub(crate) struct CoreModule {
    pub module: Module,
    pub image: Arc<ModuleImage>,
    pub info: Option<Arc<DebugInfo>>,
}

/// Indexes every core module wasmtime registered for a component (`debug_all_modules` after
/// `debug_register_component`); `problems` receives a line per module whose DWARF is broken.
pub(crate) fn index_modules(
    modules: Vec<Module>,
    component_path: &Path,
    mut problems: impl FnMut(String),
) -> Result<Vec<CoreModule>> {
    let mut indexed = Vec::with_capacity(modules.len());
    for (n, module) in modules.into_iter().enumerate() {
        let bytes = module.debug_bytecode().ok_or_else(|| {
            anyhow!("wasmtime kept no bytecode for a core module of the component (guest debugging is off)")
        })?;
        let image = Arc::new(ModuleImage::parse(component_path, bytes.to_vec().into())?);
        let info = DebugInfo::load(&image).unwrap_or_else(|e| {
            problems(format!(
                "wasmscope: ignoring the debug info of core module {n} of `{}`: {e:#}\n",
                component_path.display()
            ));
            None
        });
        indexed.push(CoreModule { module, image, info });
    }
    Ok(indexed)
}

/// Which of `modules` `module` is (by identity: `Module::same`).
pub(crate) fn index_of(modules: &[CoreModule], module: &Module) -> Option<usize> {
    modules.iter().position(|m| Module::same(&m.module, module))
}
