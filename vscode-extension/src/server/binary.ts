// Where the `wasmscope` binary is: the setting `wasmscope.path`, then PATH, then
// `~/.cargo/bin` (where `cargo install` puts it). Pure: the file system is asked through
// `isExecutable`, so the order and the messages are unit-tested without a disk.

import * as path from 'node:path';

export type BinarySource = 'setting' | 'PATH' | 'cargo';

export type Discovery =
  | { readonly found: true; readonly path: string; readonly source: BinarySource }
  | {
      readonly found: false;
      /** Every place looked at, in order. */
      readonly tried: readonly string[];
      /** One sentence for a person: what was wrong. */
      readonly reason: string;
    };

export interface DiscoveryInput {
  /** `wasmscope.path` as the user wrote it; empty or undefined when unset. */
  readonly setting: string | undefined;
  /** The PATH environment variable of the extension host. */
  readonly pathVariable: string | undefined;
  /** The user's home directory. */
  readonly home: string | undefined;
  readonly platform: NodeJS.Platform;
  /** First workspace folder: relative settings and `${workspaceFolder}` resolve against it. */
  readonly workspaceFolder?: string | undefined;
  /** Whether `file` exists, is a file and may be executed. */
  isExecutable(file: string): boolean;
}

/** The file name of the binary on `platform`. */
export function binaryName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'wasmscope.exe' : 'wasmscope';
}

/**
 * Finds the binary. An explicit setting that points nowhere is reported as such rather than
 * silently replaced by some other binary on PATH: the user asked for that one.
 */
export function discoverBinary(input: DiscoveryInput): Discovery {
  const setting = input.setting?.trim();
  if (setting) {
    const file = expandSetting(setting, input);
    if (input.isExecutable(file)) {
      return { found: true, path: file, source: 'setting' };
    }
    return {
      found: false,
      tried: [file],
      reason: `The setting wasmscope.path is "${setting}", but ${file} is not an executable file.`,
    };
  }
  const name = binaryName(input.platform);
  const tried: string[] = [];
  const separator = input.platform === 'win32' ? ';' : ':';
  for (const dir of (input.pathVariable ?? '').split(separator)) {
    if (!dir) {
      continue;
    }
    const file = joinFor(input.platform, dir, name);
    tried.push(file);
    if (input.isExecutable(file)) {
      return { found: true, path: file, source: 'PATH' };
    }
  }
  if (input.home) {
    const file = joinFor(input.platform, input.home, '.cargo', 'bin', name);
    tried.push(file);
    if (input.isExecutable(file)) {
      return { found: true, path: file, source: 'cargo' };
    }
  }
  return {
    found: false,
    tried,
    reason: 'The wasmscope binary was found neither through the setting wasmscope.path, nor on PATH, nor in ~/.cargo/bin.',
  };
}

/** `~`, `${userHome}` and `${workspaceFolder}` expanded; relative paths made absolute. */
export function expandSetting(setting: string, input: Pick<DiscoveryInput, 'home' | 'platform' | 'workspaceFolder'>): string {
  let value = setting;
  if (input.home) {
    value = value.replace(/^~(?=$|[\\/])/, input.home).replaceAll('${userHome}', input.home);
  }
  if (input.workspaceFolder) {
    value = value.replaceAll('${workspaceFolder}', input.workspaceFolder);
  }
  const p = input.platform === 'win32' ? path.win32 : path.posix;
  if (!p.isAbsolute(value) && input.workspaceFolder) {
    value = p.resolve(input.workspaceFolder, value);
  }
  return p.normalize(value);
}

function joinFor(platform: NodeJS.Platform, ...parts: string[]): string {
  return platform === 'win32' ? path.win32.join(...parts) : path.posix.join(...parts);
}
