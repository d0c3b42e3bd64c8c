import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';

import { dedupe, parseCargoOutput, pickArtifact, type WasmArtifact } from '../../src/debug/cargoMessages.ts';

// Recorded with `cargo build --message-format=json`, paths rewritten to /home/dev.
const recorded = (name: string) => fs.readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8');

describe('cargo --message-format=json', () => {
  test('a binary crate for wasm32-wasip1: its .wasm', () => {
    const outcome = parseCargoOutput(recorded('cargo-bin-ok.jsonl'), '/home/dev/debuggee');
    assert.equal(outcome.success, true);
    assert.deepEqual(outcome.artifacts, [
      {
        name: 'debuggee',
        kind: 'bin',
        file: '/home/dev/debuggee/target/wasm32-wasip1/debug/debuggee.wasm',
        manifestPath: '/home/dev/debuggee/Cargo.toml',
      },
    ]);
    assert.deepEqual(outcome.messages, []);
  });

  test('a waPC actor (cdylib, wasm32-unknown-unknown): only its .wasm among 25 dependencies', () => {
    const outcome = parseCargoOutput(recorded('cargo-cdylib-ok.jsonl'), '/home/dev/wapc-actor');
    assert.deepEqual(
      outcome.artifacts.map((a) => [a.name, a.kind, a.file]),
      [['wapc_actor', 'cdylib', '/home/dev/wapc-actor/target/wasm32-unknown-unknown/debug/wapc_actor.wasm']],
    );
    assert.equal(pickArtifact(outcome.artifacts, 'wapc-actor')?.name, 'wapc_actor');
  });

  test('compile errors: level, message, primary span made absolute, 0-based; the build failed', () => {
    const outcome = parseCargoOutput(recorded('cargo-bin-errors.jsonl'), '/home/dev/debuggee');
    assert.equal(outcome.success, false);
    assert.deepEqual(outcome.artifacts, []);
    assert.deepEqual(
      outcome.messages.map((m) => [m.level, m.message, m.code, m.file, m.range?.startLine, m.range?.startCharacter]),
      [
        ['error', 'expected `;`, found keyword `let`', undefined, '/home/dev/debuggee/src/main.rs', 74, 25],
        ['error', 'mismatched types', 'E0308', '/home/dev/debuggee/src/main.rs', 75, 20],
      ],
    );
    assert.match(outcome.messages[1]?.rendered ?? '', /error\[E0308\]: mismatched types/);
  });

  test('lines that are not JSON are kept apart; no build-finished leaves success unknown', () => {
    const outcome = parseCargoOutput('error: could not find `Cargo.toml` in `/tmp` or any parent directory\n', '/tmp');
    assert.equal(outcome.success, undefined);
    assert.deepEqual(outcome.otherLines, ['error: could not find `Cargo.toml` in `/tmp` or any parent directory']);
  });
});

describe('which artifact to debug', () => {
  const artifact = (name: string, kind = 'bin'): WasmArtifact => ({
    name,
    kind,
    file: `/t/${name}.wasm`,
    manifestPath: '/t/Cargo.toml',
  });

  test('the only one', () => {
    assert.equal(pickArtifact([artifact('app')])?.name, 'app');
  });

  test('several: the one named like the package (dashes as underscores), else none', () => {
    const several = [artifact('tool'), artifact('my_app')];
    assert.equal(pickArtifact(several, 'my-app')?.name, 'my_app');
    assert.equal(pickArtifact(several, 'other'), undefined);
    assert.equal(pickArtifact(several), undefined);
  });

  test('the same file reported twice counts once', () => {
    assert.equal(dedupe([artifact('app'), artifact('app')]).length, 1);
    assert.equal(pickArtifact([artifact('app'), artifact('app')])?.name, 'app');
  });

  test('none', () => {
    assert.equal(pickArtifact([]), undefined);
  });
});
