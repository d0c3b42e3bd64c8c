// Debug configurations of type `wasmscope`: the defaults for F5 without a launch.json, the
// checks that give a clear message instead of a failed session, and the decision to build the
// crate first when `program` is left out. Pure: the disk is asked through `CrateFacts`.

import * as path from 'node:path';

export const DEBUG_TYPE = 'wasmscope';
export const DEFAULT_TARGET = 'wasm32-wasip1';
export const PAYLOAD_FORMATS = ['text', 'json', 'msgpack', 'base64'] as const;
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'trace'] as const;

/** A debug configuration as VS Code hands it over: any JSON object. */
export type Config = Record<string, unknown>;

export interface CrateFacts {
  /** The workspace folder the session is for (absolute), if any. */
  readonly folder: string | undefined;
  /** The file of the active editor (absolute), if any: F5 builds the crate it belongs to. */
  readonly activeFile?: string | undefined;
  /** Whether `dir` holds a `Cargo.toml`. */
  hasCargoToml(dir: string): boolean;
}

export type Resolution =
  | { readonly kind: 'ready'; readonly config: Config }
  | {
      readonly kind: 'build';
      readonly config: Config;
      /** The directory cargo is run in. */
      readonly crateDir: string;
      /** Arguments for cargo, `build` first. */
      readonly cargoArgs: string[];
    }
  | { readonly kind: 'error'; readonly message: string };

/** The configuration F5 uses when there is no launch.json: launch the crate's build. */
export function defaultLaunch(facts: CrateFacts): Resolution {
  const crateDir = findCrate(facts);
  if (!crateDir) {
    return {
      kind: 'error',
      message:
        'wasmscope: there is no launch.json and no Cargo.toml here. Open a Rust crate, or add a "wasmscope" launch configuration with the "program" (.wasm) to debug.',
    };
  }
  return {
    kind: 'ready',
    config: {
      type: DEBUG_TYPE,
      request: 'launch',
      name: `Debug ${path.basename(crateDir)} (${DEFAULT_TARGET})`,
      cwd: crateDir,
    },
  };
}

/**
 * Checks a configuration whose variables are substituted and says what to do with it.
 * An empty configuration (F5 with no launch.json) gets the defaults first.
 */
export function resolveConfiguration(input: Config, facts: CrateFacts): Resolution {
  let config: Config = { ...input };
  if (config['type'] === undefined && config['request'] === undefined && config['name'] === undefined) {
    const defaults = defaultLaunch(facts);
    if (defaults.kind !== 'ready') {
      return defaults;
    }
    config = defaults.config;
  }
  const request = config['request'];
  if (request === 'attach') {
    return resolveAttach(config);
  }
  if (request !== 'launch') {
    return { kind: 'error', message: `wasmscope: "request" must be "launch" or "attach", not ${JSON.stringify(request)}.` };
  }
  const problem = launchProblem(config);
  if (problem) {
    return { kind: 'error', message: `wasmscope: ${problem}` };
  }
  if (config['cwd'] === undefined && facts.folder) {
    config['cwd'] = facts.folder;
  }
  const program = config['program'];
  if (typeof program === 'string' && program.trim() !== '') {
    const cwd = typeof config['cwd'] === 'string' ? config['cwd'] : facts.folder;
    if (!path.isAbsolute(program) && cwd) {
      config['program'] = path.resolve(cwd, program);
    }
    return { kind: 'ready', config };
  }
  const cwd = typeof config['cwd'] === 'string' ? config['cwd'] : undefined;
  const crateDir = cwd && facts.hasCargoToml(cwd) ? cwd : findCrate(facts);
  if (!crateDir) {
    return {
      kind: 'error',
      message:
        'wasmscope: this configuration has no "program", and there is no Cargo.toml to build one from. Set "program" to the .wasm file to debug.',
    };
  }
  const extra = Array.isArray(config['cargoArgs']) ? (config['cargoArgs'] as string[]) : [];
  return { kind: 'build', config, crateDir, cargoArgs: cargoBuildArgs(extra) };
}

/** `cargo build` for wasm32-wasip1 (unless the extra arguments name a target) with JSON messages. */
export function cargoBuildArgs(extra: readonly string[]): string[] {
  const namesTarget = extra.some((a) => a === '--target' || a.startsWith('--target='));
  return ['build', '--message-format=json', ...(namesTarget ? [] : ['--target', DEFAULT_TARGET]), ...extra];
}

/** The nearest directory with a Cargo.toml from the active file up to the folder, else the folder. */
export function findCrate(facts: CrateFacts): string | undefined {
  const folder = facts.folder;
  if (facts.activeFile && folder && isInside(facts.activeFile, folder)) {
    let dir = path.dirname(facts.activeFile);
    while (isInside(dir, folder)) {
      if (facts.hasCargoToml(dir)) {
        return dir;
      }
      if (dir === folder) {
        break;
      }
      dir = path.dirname(dir);
    }
  }
  if (folder && facts.hasCargoToml(folder)) {
    return folder;
  }
  return undefined;
}

function resolveAttach(config: Config): Resolution {
  const port = typeof config['port'] === 'string' ? Number(config['port']) : config['port'];
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return {
      kind: 'error',
      message:
        'wasmscope: an attach configuration needs "port", the port of a program started with `wasmscope run --debug 127.0.0.1:PORT`.',
    };
  }
  const host = typeof config['host'] === 'string' && config['host'] !== '' ? config['host'] : '127.0.0.1';
  return { kind: 'ready', config: { ...config, host, port } };
}

/** What is wrong with a launch configuration's attributes, in one sentence; undefined if nothing. */
export function launchProblem(config: Config): string | undefined {
  const args = config['args'];
  if (args !== undefined && !(Array.isArray(args) && args.every((a) => typeof a === 'string'))) {
    return '"args" must be a list of strings.';
  }
  for (const key of ['env', 'preopens'] as const) {
    const value = config[key];
    if (value !== undefined && !isStringMap(value)) {
      return `"${key}" must be an object whose values are strings.`;
    }
  }
  const cargoArgs = config['cargoArgs'];
  if (cargoArgs !== undefined && !(Array.isArray(cargoArgs) && cargoArgs.every((a) => typeof a === 'string'))) {
    return '"cargoArgs" must be a list of strings.';
  }
  const logLevel = config['logLevel'];
  if (logLevel !== undefined && !(LOG_LEVELS as readonly unknown[]).includes(logLevel)) {
    return `"logLevel" must be one of ${LOG_LEVELS.join(', ')}.`;
  }
  const invoke = config['invoke'];
  if (invoke !== undefined) {
    if (!Array.isArray(invoke)) {
      return '"invoke" must be a list of { "operation", "payload", "format" } entries.';
    }
    for (const [index, entry] of invoke.entries()) {
      if (typeof entry !== 'object' || entry === null || typeof (entry as Config)['operation'] !== 'string') {
        return `"invoke"[${index}] needs an "operation" name.`;
      }
      const format = (entry as Config)['format'];
      if (format !== undefined && !(PAYLOAD_FORMATS as readonly unknown[]).includes(format)) {
        return `"invoke"[${index}].format must be one of ${PAYLOAD_FORMATS.join(', ')}.`;
      }
    }
  }
  return undefined;
}

/** How VS Code reaches the adapter for this (resolved) configuration. */
export type AdapterPlan =
  | { readonly kind: 'executable'; readonly command: string; readonly args: string[] }
  | { readonly kind: 'server'; readonly host: string; readonly port: number };

export function adapterPlan(config: Config, binary: string): AdapterPlan {
  if (config['request'] === 'attach') {
    const host = typeof config['host'] === 'string' ? config['host'] : '127.0.0.1';
    return { kind: 'server', host, port: Number(config['port']) };
  }
  return { kind: 'executable', command: binary, args: ['dap'] };
}

function isStringMap(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
