#!/usr/bin/env bash
# The whole test suite, after installing what the tests build their fixtures with:
# the wasm32-wasip1 and wasm32-unknown-unknown Rust targets and, for the C fixture, clang + wasi-libc (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."

rustup target add wasm32-wasip1 wasm32-wasip2 wasm32-unknown-unknown
c_packages=(clang lld wasi-libc libclang-rt-14-dev-wasm32)
if ! dpkg -s "${c_packages[@]}" >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${c_packages[@]}"
fi
cargo test --workspace
