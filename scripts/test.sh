#!/usr/bin/env bash
# The whole test suite, after installing what the tests build their fixtures with:
# the wasm32-wasip1, wasm32-wasip2 and wasm32-unknown-unknown Rust targets and, as Debian packages, clang + wasi-libc
# for the C fixture and neovim, the editor tests/editor_neovim.rs drives the language server from.
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add wasm32-wasip1 wasm32-wasip2 wasm32-unknown-unknown
c_packages=(clang lld wasi-libc libclang-rt-14-dev-wasm32 neovim)
if ! dpkg -s "${c_packages[@]}" >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${c_packages[@]}"
fi
cargo test --workspace --no-fail-fast
