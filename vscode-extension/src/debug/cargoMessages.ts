// What `cargo build --message-format=json` says, one JSON object a line: the `.wasm` files it
// produced (`compiler-artifact`), the compiler's errors and warnings (`compiler-message`) and
// whether the build succeeded (`build-finished`). Pure, so it is tested on recorded output.

import * as path from 'node:path';

export interface WasmArtifact {
  /** The cargo target's name (`debuggee`, `wapc_actor`). */
  readonly name: string;
  /** `bin` for programs, `cdylib` for actors and components. */
  readonly kind: string;
  /** Absolute path of the `.wasm` file. */
  readonly file: string;
  /** The `Cargo.toml` of the package it belongs to. */
  readonly manifestPath: string;
}

export interface CompilerMessage {
  readonly level: 'error' | 'warning' | 'note' | 'help';
  readonly message: string;
  /** The message as rustc prints it, with the source excerpt. */
  readonly rendered: string;
  readonly code: string | undefined;
  /** Absolute path of the primary span's file; undefined for messages without a span. */
  readonly file: string | undefined;
  /** 0-based start and end of the primary span, columns in characters. */
  readonly range: { startLine: number; startCharacter: number; endLine: number; endCharacter: number } | undefined;
}

export interface BuildOutcome {
  readonly artifacts: WasmArtifact[];
  readonly messages: CompilerMessage[];
  /** From `build-finished`; undefined when cargo ended before saying so. */
  readonly success: boolean | undefined;
  /** Lines that were not JSON (cargo's own errors when it cannot even start a build). */
  readonly otherLines: string[];
}

/** Reads cargo's JSON lines. `workspaceRoot` resolves the relative file names of spans. */
export function parseCargoOutput(stdout: string, workspaceRoot: string): BuildOutcome {
  const artifacts: WasmArtifact[] = [];
  const messages: CompilerMessage[] = [];
  const otherLines: string[] = [];
  let success: boolean | undefined;
  for (const line of stdout.split(/\r?\n/)) {
    if (line.trim() === '') {
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      otherLines.push(line);
      continue;
    }
    if (!isObject(value)) {
      otherLines.push(line);
      continue;
    }
    switch (value['reason']) {
      case 'compiler-artifact': {
        const artifact = readArtifact(value);
        if (artifact) {
          artifacts.push(artifact);
        }
        break;
      }
      case 'compiler-message': {
        const message = readMessage(value['message'], workspaceRoot);
        if (message) {
          messages.push(message);
        }
        break;
      }
      case 'build-finished':
        success = value['success'] === true;
        break;
      default:
        break;
    }
  }
  return { artifacts, messages, success, otherLines };
}

/**
 * The artifact to debug: the only one, or among several the one named `preferred` (the
 * package's name, with `-` as cargo writes it in file names: `_`). Undefined when there is
 * none or the choice is ambiguous (the caller asks the user).
 */
export function pickArtifact(artifacts: readonly WasmArtifact[], preferred?: string): WasmArtifact | undefined {
  const unique = dedupe(artifacts);
  if (unique.length === 1) {
    return unique[0];
  }
  if (preferred !== undefined) {
    const wanted = preferred.replaceAll('-', '_');
    const named = unique.filter((a) => a.name.replaceAll('-', '_') === wanted);
    if (named.length === 1) {
      return named[0];
    }
  }
  return undefined;
}

/** Artifacts with distinct files, the last report of each winning (cargo may repeat fresh ones). */
export function dedupe(artifacts: readonly WasmArtifact[]): WasmArtifact[] {
  const byFile = new Map<string, WasmArtifact>();
  for (const artifact of artifacts) {
    byFile.set(artifact.file, artifact);
  }
  return [...byFile.values()];
}

function readArtifact(value: Record<string, unknown>): WasmArtifact | undefined {
  const target = value['target'];
  if (!isObject(target)) {
    return undefined;
  }
  const kinds = Array.isArray(target['kind']) ? target['kind'].filter((k): k is string => typeof k === 'string') : [];
  const kind = kinds.find((k) => k === 'bin' || k === 'cdylib');
  if (!kind) {
    return undefined;
  }
  const filenames = Array.isArray(value['filenames']) ? value['filenames'] : [];
  const executable = typeof value['executable'] === 'string' ? value['executable'] : undefined;
  const file = executable?.endsWith('.wasm')
    ? executable
    : filenames.find((f): f is string => typeof f === 'string' && f.endsWith('.wasm'));
  if (!file) {
    return undefined;
  }
  return {
    name: typeof target['name'] === 'string' ? target['name'] : path.basename(file, '.wasm'),
    kind,
    file,
    manifestPath: typeof value['manifest_path'] === 'string' ? value['manifest_path'] : '',
  };
}

function readMessage(value: unknown, workspaceRoot: string): CompilerMessage | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  const level = value['level'];
  if (level !== 'error' && level !== 'warning' && level !== 'note' && level !== 'help') {
    // `failure-note`, `error: internal compiler error` and friends are not positioned findings.
    return undefined;
  }
  const message = typeof value['message'] === 'string' ? value['message'] : '';
  const rendered = typeof value['rendered'] === 'string' ? value['rendered'] : message;
  const codeValue = value['code'];
  const code = isObject(codeValue) && typeof codeValue['code'] === 'string' ? codeValue['code'] : undefined;
  const spans = Array.isArray(value['spans']) ? value['spans'].filter(isObject) : [];
  const primary = spans.find((s) => s['is_primary'] === true) ?? spans[0];
  if (!primary || typeof primary['file_name'] !== 'string') {
    return { level, message, rendered, code, file: undefined, range: undefined };
  }
  const number = (key: string): number => (typeof primary[key] === 'number' ? primary[key] : 1);
  return {
    level,
    message,
    rendered,
    code,
    file: path.resolve(workspaceRoot, primary['file_name']),
    range: {
      startLine: number('line_start') - 1,
      startCharacter: number('column_start') - 1,
      endLine: number('line_end') - 1,
      endCharacter: number('column_end') - 1,
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
