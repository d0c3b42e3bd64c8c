//! modules: the program's core modules (Visual Studio asks on attach; VS Code shows them in
//! its Loaded Modules view).

use anyhow::Result;
use serde_json::{Value, json};

use crate::server::Server;

impl Server {
    pub(crate) fn modules(&self, args: Value) -> Result<Option<Value>> {
        let Some(session) = &self.session else {
            return Ok(Some(json!({ "modules": [], "totalModules": 0 })));
        };
        let all = session.modules();
        let start = args.get("startModule").and_then(Value::as_u64).unwrap_or(0) as usize;
        let count = match args.get("moduleCount").and_then(Value::as_u64) {
            Some(0) | None => all.len(),
            Some(n) => n as usize,
        };
        let modules: Vec<Value> = all
            .iter()
            .skip(start)
            .take(count)
            .map(|m| {
                json!({
                    "id": m.index,
                    "name": m.name,
                    "path": m.path,
                    "isOptimized": false,
                    "isUserCode": true,
                    "symbolStatus": if m.has_dwarf { "DWARF loaded" } else { "no debug info" },
                    "addressRange": format!("0x0-{:#x}", m.size),
                })
            })
            .collect();
        Ok(Some(json!({ "modules": modules, "totalModules": all.len() })))
    }
}
