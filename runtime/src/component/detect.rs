//! Whether a binary is a component rather than a core module.

/// True for a component binary (its header's layer is 1), false for a core module or anything
/// that is not WebAssembly.
pub fn is_component(bytes: &[u8]) -> bool {
    wasmparser::Parser::is_component(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_components_from_core_modules() {
        assert!(is_component(b"\0asm\x0d\0\x01\0"));
        assert!(!is_component(b"\0asm\x01\0\0\0"));
        assert!(!is_component(b"not wasm"));
    }
}
