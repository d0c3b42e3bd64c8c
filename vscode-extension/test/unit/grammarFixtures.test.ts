// The grammars on every WIT and WIDL file of the repository's fixtures (the files the language
// server is tested on): no token is left without a scope, keywords and definitions are
// coloured, and a comment or description never swallows the code after it.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { tokenize } from '../support/tokenize.ts';

const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const repoFixtures = path.resolve(extensionDir, '../tests/fixtures');

function filesUnder(dir: string, extension: string): string[] {
  if (!fs.existsSync(dir)) {
    return [];
  }
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

const cases = [
  {
    scope: 'source.wit',
    files: filesUnder(path.join(repoFixtures, 'wit'), '.wit'),
    keywords: /^(package|interface|world|record|enum|flags|variant|resource|use|import|export|func|type)$/,
  },
  {
    scope: 'source.widl',
    files: [...filesUnder(path.join(repoFixtures, 'widl'), '.widl'), ...filesUnder(path.join(extensionDir, 'test/fixtures/widl'), '.widl')],
    keywords: /^(namespace|import|interface|type|enum|union|alias|directive)$/,
  },
];

for (const { scope, files, keywords } of cases) {
  describe(`${scope} on the repository's fixtures`, () => {
    test('there are fixtures to read', () => {
      assert.ok(files.length > 0, `no ${scope} fixtures found`);
    });
    for (const file of files) {
      test(path.relative(path.resolve(extensionDir, '..'), file), async () => {
        const text = fs.readFileSync(file, 'utf8');
        const tokens = await tokenize(scope, text);
        const bare = tokens.filter((t) => t.scopes.length === 1);
        assert.deepEqual(
          bare.map((t) => `${t.line}: ${t.text}`),
          [],
          'every token gets a scope beyond the root one',
        );
        for (const token of tokens) {
          const leaf = token.scopes.at(-1) ?? '';
          if (keywords.test(token.text) && !leaf.startsWith('string') && !leaf.startsWith('comment')) {
            assert.match(leaf, /^(keyword|storage)\./, `line ${token.line}: \`${token.text}\` is a keyword, got ${leaf}`);
          }
        }
        // Code on the line after a comment is code again.
        const lines = text.split(/\r?\n/);
        lines.forEach((line, index) => {
          const trimmed = line.trim();
          const next = lines[index + 1]?.trim() ?? '';
          const isComment = scope === 'source.wit' ? trimmed.startsWith('//') : trimmed.startsWith('#');
          if (isComment && next !== '' && !next.startsWith('//') && !next.startsWith('#') && !next.startsWith('"')) {
            const first = tokens.find((t) => t.line === index + 2);
            assert.ok(first && !first.scopes.some((s) => s.startsWith('comment')), `line ${index + 2} is code, not comment`);
          }
        });
      });
    }
  });
}
