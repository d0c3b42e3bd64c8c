// The fixture workspace a test session opens, laid out fresh in a temporary directory (the
// tests edit its files): the WIT package, manifest and launch.json of test/e2e/workspace, and
// a copy of the Rust debuggee of tests/fixtures/debuggee without its build output.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const repoDir = path.resolve(extensionDir, '..');

export function makeWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmscope-workspace-'));
  fs.cpSync(path.join(extensionDir, 'test/e2e/workspace'), dir, { recursive: true });
  const debuggee = path.join(repoDir, 'tests/fixtures/debuggee');
  fs.cpSync(debuggee, path.join(dir, 'debuggee'), {
    recursive: true,
    filter: (source) => path.relative(debuggee, source).split(path.sep)[0] !== 'target',
  });
  return dir;
}

/** 1-based line of the line ending in `// BP:<marker>` (as tests/support/mod.rs finds it). */
export function lineOf(file: string, marker: string): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.trimEnd().endsWith(`// BP:${marker}`));
  if (index < 0) {
    throw new Error(`marker BP:${marker} not found in ${file}`);
  }
  return index + 1;
}
