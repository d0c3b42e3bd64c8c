// Builds a crate for the debugger: `cargo build --message-format=json --target wasm32-wasip1`,
// cargo's progress in the output channel, the compiler's errors and warnings in the Problems
// panel, and the `.wasm` it produced as the result.

import { execFile, spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

import { type CompilerMessage, dedupe, parseCargoOutput, pickArtifact, type WasmArtifact } from './cargoMessages.ts';

export type BuildResult = { readonly ok: true; readonly wasm: string } | { readonly ok: false; readonly message: string };

export class CargoBuilder implements vscode.Disposable {
  readonly #diagnostics = vscode.languages.createDiagnosticCollection('wasmscope cargo');
  readonly #output: vscode.LogOutputChannel;

  constructor(output: vscode.LogOutputChannel) {
    this.#output = output;
  }

  /** Builds the crate in `crateDir` with `args` (from `cargoBuildArgs`). */
  async build(crateDir: string, args: readonly string[], token?: vscode.CancellationToken): Promise<BuildResult> {
    this.#diagnostics.clear();
    const env = cargoEnv();
    const root = (await workspaceRoot(crateDir, env)) ?? crateDir;
    this.#output.info(`Building for the debugger: cargo ${args.join(' ')} (in ${crateDir})`);
    const run = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'wasmscope: building the crate for the debugger', cancellable: true },
      (_progress, progressToken) => runCargo(crateDir, args, env, this.#output, [progressToken, token]),
    );
    if (run.cancelled) {
      return { ok: false, message: 'wasmscope: the build was cancelled.' };
    }
    if (run.spawnError) {
      return {
        ok: false,
        message: `wasmscope: could not run cargo (${run.spawnError}). Install Rust with rustup, or set "program" to a .wasm file.`,
      };
    }
    const outcome = parseCargoOutput(run.stdout, root);
    this.#showMessages(outcome.messages);
    const errors = outcome.messages.filter((m) => m.level === 'error').length;
    if (outcome.success !== true || run.code !== 0) {
      const why =
        errors > 0
          ? `${errors} compile error(s); they are in the Problems panel.`
          : lastLines(run.stderr) || `cargo exited with ${run.code}.`;
      return { ok: false, message: `wasmscope: the build failed, so there is nothing to debug: ${why}` };
    }
    const artifacts = dedupe(outcome.artifacts);
    const chosen = pickArtifact(artifacts, path.basename(crateDir)) ?? (await askWhich(artifacts));
    if (!chosen) {
      return {
        ok: false,
        message:
          artifacts.length === 0
            ? 'wasmscope: cargo built no .wasm binary here. Is this a binary or cdylib crate?'
            : 'wasmscope: no binary was chosen.',
      };
    }
    this.#output.info(`Debugging ${chosen.file}`);
    return { ok: true, wasm: chosen.file };
  }

  #showMessages(messages: readonly CompilerMessage[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const m of messages) {
      if (!m.file || !m.range || (m.level !== 'error' && m.level !== 'warning')) {
        continue;
      }
      const range = new vscode.Range(m.range.startLine, m.range.startCharacter, m.range.endLine, m.range.endCharacter);
      const diagnostic = new vscode.Diagnostic(
        range,
        m.message,
        m.level === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = 'rustc';
      if (m.code) {
        diagnostic.code = m.code;
      }
      const list = byFile.get(m.file) ?? [];
      list.push(diagnostic);
      byFile.set(m.file, list);
    }
    for (const [file, list] of byFile) {
      this.#diagnostics.set(vscode.Uri.file(file), list);
    }
  }

  dispose(): void {
    this.#diagnostics.dispose();
  }
}

interface CargoRun {
  code: number | null;
  stdout: string;
  stderr: string;
  cancelled: boolean;
  spawnError?: string;
}

function runCargo(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  output: vscode.LogOutputChannel,
  tokens: (vscode.CancellationToken | undefined)[],
): Promise<CargoRun> {
  return new Promise((resolve) => {
    const child = spawn('cargo', args, { cwd, env });
    let stdout = '';
    let stderr = '';
    let cancelled = false;
    const listeners = tokens.map((t) =>
      t?.onCancellationRequested(() => {
        cancelled = true;
        child.kill();
      }),
    );
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderr += text;
      for (const line of text.split(/\r?\n/)) {
        if (line.trim()) {
          output.info(`cargo: ${line.trim()}`);
        }
      }
    });
    child.on('error', (error) => {
      disposeAll(listeners);
      resolve({ code: null, stdout, stderr, cancelled, spawnError: error.message });
    });
    child.on('close', (code) => {
      disposeAll(listeners);
      resolve({ code, stdout, stderr, cancelled });
    });
  });
}

function disposeAll(listeners: (vscode.Disposable | undefined)[]): void {
  for (const listener of listeners) {
    listener?.dispose();
  }
}

/** The cargo workspace root: compiler spans are relative to it. */
function workspaceRoot(crateDir: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'cargo',
      ['locate-project', '--workspace', '--message-format', 'plain'],
      { cwd: crateDir, env },
      (error, stdout) => resolve(error ? undefined : path.dirname(stdout.trim())),
    );
  });
}

/** The extension host's environment, with `~/.cargo/bin` on PATH for rustup installs. */
function cargoEnv(): NodeJS.ProcessEnv {
  const cargoBin = path.join(os.homedir(), '.cargo', 'bin');
  const current = process.env['PATH'] ?? '';
  return { ...process.env, PATH: current ? `${current}${path.delimiter}${cargoBin}` : cargoBin };
}

async function askWhich(artifacts: readonly WasmArtifact[]): Promise<WasmArtifact | undefined> {
  if (artifacts.length === 0) {
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    artifacts.map((a) => ({ label: a.name, description: a.kind, detail: a.file, artifact: a })),
    { title: 'wasmscope: which binary to debug?' },
  );
  return picked?.artifact;
}

function lastLines(text: string): string {
  return text.trim().split(/\r?\n/).slice(-3).join(' ');
}
