import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  adapterPlan,
  cargoBuildArgs,
  type CrateFacts,
  findCrate,
  launchProblem,
  resolveConfiguration,
} from '../../src/debug/launchConfig.ts';

/** A workspace /w whose crates are the directories listed. */
function workspace(crates: string[], activeFile?: string): CrateFacts {
  return { folder: '/w', activeFile, hasCargoToml: (dir) => crates.includes(dir) };
}

describe('F5 without launch.json', () => {
  test('in a Rust crate: build it for wasm32-wasip1 and launch the result', () => {
    const resolution = resolveConfiguration({}, workspace(['/w']));
    assert.equal(resolution.kind, 'build');
    if (resolution.kind === 'build') {
      assert.equal(resolution.crateDir, '/w');
      assert.deepEqual(resolution.cargoArgs, ['build', '--message-format=json', '--target', 'wasm32-wasip1']);
      assert.equal(resolution.config['type'], 'wasmscope');
      assert.equal(resolution.config['request'], 'launch');
      assert.equal(resolution.config['cwd'], '/w');
      assert.match(String(resolution.config['name']), /wasm32-wasip1/);
    }
  });

  test('the crate of the active file wins over the folder', () => {
    const facts = workspace(['/w', '/w/actors/echo'], '/w/actors/echo/src/lib.rs');
    assert.equal(findCrate(facts), '/w/actors/echo');
    const resolution = resolveConfiguration({}, facts);
    assert.equal(resolution.kind === 'build' && resolution.crateDir, '/w/actors/echo');
  });

  test('an active file outside the folder is ignored', () => {
    assert.equal(findCrate(workspace(['/w'], '/elsewhere/src/main.rs')), '/w');
  });

  test('no crate: a message that says what to do', () => {
    const resolution = resolveConfiguration({}, workspace([]));
    assert.equal(resolution.kind, 'error');
    assert.match(resolution.kind === 'error' ? resolution.message : '', /no launch\.json and no Cargo\.toml/);
  });
});

describe('launch configurations', () => {
  const base = { type: 'wasmscope', request: 'launch', name: 'x' };

  test('with a program: ready, relative program against cwd, cwd defaults to the folder', () => {
    const resolution = resolveConfiguration({ ...base, program: 'target/app.wasm' }, workspace([]));
    assert.deepEqual(resolution, {
      kind: 'ready',
      config: { ...base, program: '/w/target/app.wasm', cwd: '/w' },
    });
  });

  test('without a program: build the crate in cwd with the extra cargo arguments', () => {
    const resolution = resolveConfiguration(
      { ...base, cwd: '/w/actor', cargoArgs: ['--target', 'wasm32-unknown-unknown'] },
      workspace(['/w', '/w/actor']),
    );
    assert.equal(resolution.kind, 'build');
    if (resolution.kind === 'build') {
      assert.equal(resolution.crateDir, '/w/actor');
      assert.deepEqual(resolution.cargoArgs, ['build', '--message-format=json', '--target', 'wasm32-unknown-unknown']);
    }
  });

  test('without a program and without a crate: error', () => {
    const resolution = resolveConfiguration({ ...base }, workspace([]));
    assert.equal(resolution.kind, 'error');
    assert.match(resolution.kind === 'error' ? resolution.message : '', /no "program"/);
  });

  test('every attribute is checked with a message naming it', () => {
    assert.equal(launchProblem({ args: ['a', 'b'], env: { A: '1' }, logLevel: 'debug' }), undefined);
    assert.match(launchProblem({ args: 'a b' }) ?? '', /"args"/);
    assert.match(launchProblem({ env: { A: 1 } }) ?? '', /"env"/);
    assert.match(launchProblem({ preopens: ['/data'] }) ?? '', /"preopens"/);
    assert.match(launchProblem({ logLevel: 'loud' }) ?? '', /"logLevel" must be one of error, warn, info, debug, trace/);
    assert.match(launchProblem({ cargoArgs: [1] }) ?? '', /"cargoArgs"/);
    assert.equal(
      launchProblem({ invoke: [{ operation: 'Echo', payload: 'hi' }, { operation: 'Sum', payload: { a: 1 }, format: 'msgpack' }] }),
      undefined,
    );
    assert.match(launchProblem({ invoke: { operation: 'Echo' } }) ?? '', /"invoke" must be a list/);
    assert.match(launchProblem({ invoke: [{ payload: 'x' }] }) ?? '', /"invoke"\[0\] needs an "operation"/);
    assert.match(launchProblem({ invoke: [{ operation: 'Echo', format: 'xml' }] }) ?? '', /"invoke"\[0\]\.format must be one of text, json, msgpack, base64/);
  });

  test('a bad attribute stops the launch with the message', () => {
    const resolution = resolveConfiguration({ ...base, program: '/a.wasm', logLevel: 'loud' }, workspace([]));
    assert.equal(resolution.kind, 'error');
  });

  test('an unknown request is an error', () => {
    assert.equal(resolveConfiguration({ ...base, request: 'test' }, workspace([])).kind, 'error');
  });
});

describe('attach configurations', () => {
  test('host defaults to loopback; port may be a string from an input variable', () => {
    const resolution = resolveConfiguration({ type: 'wasmscope', request: 'attach', name: 'a', port: '4711' }, workspace([]));
    assert.deepEqual(resolution, {
      kind: 'ready',
      config: { type: 'wasmscope', request: 'attach', name: 'a', port: 4711, host: '127.0.0.1' },
    });
  });

  test('a missing or impossible port is an error', () => {
    for (const port of [undefined, 0, 70000, 'x', 1.5]) {
      const resolution = resolveConfiguration({ type: 'wasmscope', request: 'attach', name: 'a', port }, workspace([]));
      assert.equal(resolution.kind, 'error', `port ${String(port)}`);
    }
  });
});

describe('how VS Code reaches the adapter', () => {
  test('launch: `wasmscope dap` over stdio', () => {
    assert.deepEqual(adapterPlan({ request: 'launch' }, '/bin/wasmscope'), {
      kind: 'executable',
      command: '/bin/wasmscope',
      args: ['dap'],
    });
  });

  test('attach: TCP to `wasmscope dap --listen`', () => {
    assert.deepEqual(adapterPlan({ request: 'attach', host: '127.0.0.1', port: 4711 }, '/bin/wasmscope'), {
      kind: 'server',
      host: '127.0.0.1',
      port: 4711,
    });
  });
});

describe('cargo arguments', () => {
  test('wasm32-wasip1 unless a target is given, in either spelling', () => {
    assert.deepEqual(cargoBuildArgs(['--bin', 'app']), ['build', '--message-format=json', '--target', 'wasm32-wasip1', '--bin', 'app']);
    assert.deepEqual(cargoBuildArgs(['--target=wasm32-unknown-unknown']), ['build', '--message-format=json', '--target=wasm32-unknown-unknown']);
  });
});
