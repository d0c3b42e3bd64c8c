import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { discoverBinary, type DiscoveryInput, expandSetting } from '../../src/server/binary.ts';

/** A machine where exactly `executables` exist. */
function machine(executables: string[], overrides: Partial<DiscoveryInput> = {}): DiscoveryInput {
  return {
    setting: undefined,
    pathVariable: '/usr/local/bin:/usr/bin',
    home: '/home/dev',
    platform: 'linux',
    workspaceFolder: '/home/dev/app',
    isExecutable: (file) => executables.includes(file),
    ...overrides,
  };
}

describe('binary discovery', () => {
  test('the setting wins over PATH and ~/.cargo/bin', () => {
    const found = discoverBinary(
      machine(['/opt/ws/wasmscope', '/usr/bin/wasmscope', '/home/dev/.cargo/bin/wasmscope'], { setting: '/opt/ws/wasmscope' }),
    );
    assert.deepEqual(found, { found: true, path: '/opt/ws/wasmscope', source: 'setting' });
  });

  test('PATH is searched in order before ~/.cargo/bin', () => {
    const found = discoverBinary(machine(['/usr/bin/wasmscope', '/home/dev/.cargo/bin/wasmscope']));
    assert.deepEqual(found, { found: true, path: '/usr/bin/wasmscope', source: 'PATH' });
  });

  test('~/.cargo/bin is the last resort', () => {
    const found = discoverBinary(machine(['/home/dev/.cargo/bin/wasmscope']));
    assert.deepEqual(found, { found: true, path: '/home/dev/.cargo/bin/wasmscope', source: 'cargo' });
  });

  test('empty PATH entries are skipped', () => {
    const found = discoverBinary(machine([], { pathVariable: ':/usr/bin::' }));
    assert.equal(found.found, false);
    assert.deepEqual(found.found ? [] : found.tried, ['/usr/bin/wasmscope', '/home/dev/.cargo/bin/wasmscope']);
  });

  test('nothing found: every place tried is listed and the reason says where we looked', () => {
    const found = discoverBinary(machine([]));
    assert.equal(found.found, false);
    if (!found.found) {
      assert.deepEqual(found.tried, ['/usr/local/bin/wasmscope', '/usr/bin/wasmscope', '/home/dev/.cargo/bin/wasmscope']);
      assert.match(found.reason, /wasmscope\.path.*PATH.*~\/\.cargo\/bin/);
    }
  });

  test('a setting that points nowhere is reported, not replaced by the binary on PATH', () => {
    const found = discoverBinary(machine(['/usr/bin/wasmscope'], { setting: '/nonexistent/wasmscope' }));
    assert.equal(found.found, false);
    if (!found.found) {
      assert.deepEqual(found.tried, ['/nonexistent/wasmscope']);
      assert.match(found.reason, /wasmscope\.path is "\/nonexistent\/wasmscope"/);
    }
  });

  test('a blank setting counts as unset', () => {
    const found = discoverBinary(machine(['/usr/bin/wasmscope'], { setting: '   ' }));
    assert.deepEqual(found, { found: true, path: '/usr/bin/wasmscope', source: 'PATH' });
  });

  test('Windows: wasmscope.exe, `;` between PATH entries', () => {
    const found = discoverBinary(
      machine(['C:\\tools\\wasmscope.exe'], { platform: 'win32', pathVariable: 'C:\\Windows;C:\\tools', home: 'C:\\Users\\dev' }),
    );
    assert.deepEqual(found, { found: true, path: 'C:\\tools\\wasmscope.exe', source: 'PATH' });
  });
});

describe('the path setting', () => {
  const where = { home: '/home/dev', platform: 'linux' as const, workspaceFolder: '/home/dev/app' };

  test('~ and ${userHome} are the home directory', () => {
    assert.equal(expandSetting('~/bin/wasmscope', where), '/home/dev/bin/wasmscope');
    assert.equal(expandSetting('${userHome}/bin/wasmscope', where), '/home/dev/bin/wasmscope');
  });

  test('${workspaceFolder} and relative paths resolve against the workspace folder', () => {
    assert.equal(expandSetting('${workspaceFolder}/target/debug/wasmscope', where), '/home/dev/app/target/debug/wasmscope');
    assert.equal(expandSetting('target/debug/wasmscope', where), '/home/dev/app/target/debug/wasmscope');
  });

  test('a ~ inside a name is left alone', () => {
    assert.equal(expandSetting('/opt/~x/wasmscope', where), '/opt/~x/wasmscope');
  });
});
