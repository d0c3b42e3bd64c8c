import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { DEFAULT_RESTART_LIMIT, needsRestart, readSettings } from '../../src/settings.ts';
import { RestartBudget } from '../../src/server/restartBudget.ts';

const from = (values: Record<string, unknown>) => readSettings((key) => values[key]);

describe('settings', () => {
  test('defaults when nothing is set', () => {
    assert.deepEqual(from({}), { path: undefined, trace: 'off', restartLimit: DEFAULT_RESTART_LIMIT, serverEnv: {} });
  });

  test('values as set', () => {
    assert.deepEqual(
      from({ path: ' /opt/wasmscope ', 'trace.server': 'verbose', 'server.restartLimit': 2, 'server.extraEnv': { WASMSCOPE_LOG: 'debug' } }),
      { path: '/opt/wasmscope', trace: 'verbose', restartLimit: 2, serverEnv: { WASMSCOPE_LOG: 'debug' } },
    );
  });

  test('wrong types and values fall back to the defaults', () => {
    assert.deepEqual(
      from({ path: 42, 'trace.server': 'loud', 'server.restartLimit': -1, 'server.extraEnv': ['A=1'] }),
      { path: undefined, trace: 'off', restartLimit: DEFAULT_RESTART_LIMIT, serverEnv: {} },
    );
    assert.equal(from({ 'server.restartLimit': 2.7 }).restartLimit, 2);
    assert.deepEqual(from({ 'server.extraEnv': { A: 1, B: true, C: { nested: 1 } } }).serverEnv, { A: '1', B: 'true' });
  });

  test('the server restarts for a new path or environment, not for tracing', () => {
    const base = from({});
    assert.equal(needsRestart(base, from({ path: '/x/wasmscope' })), true);
    assert.equal(needsRestart(base, from({ 'server.extraEnv': { WASMSCOPE_LOG: 'debug' } })), true);
    assert.equal(needsRestart(base, from({ 'trace.server': 'messages' })), false);
    assert.equal(needsRestart(base, from({ path: '' })), false);
  });
});

describe('restart budget', () => {
  test('restarts up to the limit within the window, then gives up', () => {
    const budget = new RestartBudget(2, 1000);
    assert.equal(budget.crashed(0), true);
    assert.equal(budget.crashed(10), true);
    assert.equal(budget.crashed(20), false);
    assert.equal(budget.recent, 3);
  });

  test('crashes older than the window are forgotten', () => {
    const budget = new RestartBudget(1, 1000);
    assert.equal(budget.crashed(0), true);
    assert.equal(budget.crashed(1500), true);
    assert.equal(budget.crashed(1600), false);
    budget.reset();
    assert.equal(budget.crashed(1700), true);
  });

  test('a limit of 0 never restarts', () => {
    assert.equal(new RestartBudget(0).crashed(0), false);
  });
});
