import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { groupByFile, parseCheckOutput, utf16Column, wordRange } from '../../src/check/checkOutput.ts';

describe('wasmscope check output', () => {
  test('a real line from `wasmscope check tests/fixtures/wit`', () => {
    const findings = parseCheckOutput('tests/fixtures/wit/broken/broken.wit:5:20: error: name `persn` does not exist\n', '/repo');
    assert.deepEqual(findings, [
      {
        file: '/repo/tests/fixtures/wit/broken/broken.wit',
        line: 4,
        character: 19,
        severity: 'error',
        message: 'name `persn` does not exist',
      },
    ]);
  });

  test('absolute paths, warnings, notes, and lines of other shapes', () => {
    const output = [
      '/w/app.wadm.yaml:12:21: warning: `source_config` is deprecated: use `source.config`',
      'checked 3 files',
      '/w/api.widl:7:19: note: declared here',
      '',
      '/w/api.widl:8:3: error: a message with a colon: and 1:2: numbers',
    ].join('\n');
    const findings = parseCheckOutput(output, '/elsewhere');
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.character, f.severity, f.message]),
      [
        ['/w/app.wadm.yaml', 11, 20, 'warning', '`source_config` is deprecated: use `source.config`'],
        ['/w/api.widl', 6, 18, 'info', 'declared here'],
        ['/w/api.widl', 7, 2, 'error', 'a message with a colon: and 1:2: numbers'],
      ],
    );
  });

  test('Windows line endings and drive letters', () => {
    const findings = parseCheckOutput('C:\\w\\a.wit:1:1: error: expected `package`\r\n', 'C:\\w');
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.message, 'expected `package`');
    assert.equal(findings[0]?.line, 0);
  });

  test('findings grouped by file in order of appearance', () => {
    const findings = parseCheckOutput('/b.wit:1:1: error: x\n/a.wit:2:1: error: y\n/b.wit:3:1: warning: z\n', '/');
    assert.deepEqual([...groupByFile(findings).entries()].map(([file, list]) => [file, list.length]), [
      ['/b.wit', 2],
      ['/a.wit', 1],
    ]);
  });

  test('character columns become UTF-16 columns', () => {
    assert.equal(utf16Column('  hello: func()', 2), 2);
    // `𝕏` is one character but two UTF-16 units.
    assert.equal(utf16Column('𝕏 persn', 2), 3);
    assert.equal(utf16Column('ab', 5), 5);
  });

  test('a point finding underlines the word at it', () => {
    const line = '  greet: func(who: persn) -> string;';
    assert.deepEqual(wordRange(line, line.indexOf('persn')), { start: 19, end: 24 });
    assert.deepEqual(wordRange(line, line.indexOf('persn') + 2), { start: 19, end: 24 });
    assert.deepEqual(wordRange('interface incomng-handler {', 12), { start: 10, end: 25 });
    assert.deepEqual(wordRange(line, line.indexOf('(')), { start: 13, end: 14 });
    assert.deepEqual(wordRange('ab', 9), { start: 2, end: 2 });
  });
});
