// Tokenizes text with the extension's TextMate grammars, as VS Code does (vscode-textmate on
// the oniguruma WebAssembly build): for the grammar tests on the repository's real files and
// for looking at what a grammar does (`node test/support/tokenize.ts FILE`).

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';

const require = createRequire(import.meta.url);
const extensionDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const GRAMMARS: Record<string, string> = {
  'source.wit': 'syntaxes/wit.tmLanguage.json',
  'source.widl': 'syntaxes/widl.tmLanguage.json',
};

export interface Token {
  readonly line: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

let registry: textmate.Registry | undefined;

function getRegistry(): textmate.Registry {
  if (!registry) {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    const ready = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    registry = new textmate.Registry({
      onigLib: ready.then(() => ({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      })),
      loadGrammar: (scopeName: string) => {
        const file = GRAMMARS[scopeName];
        if (!file) {
          return Promise.resolve(null);
        }
        const full = path.join(extensionDir, file);
        return Promise.resolve(textmate.parseRawGrammar(fs.readFileSync(full, 'utf8'), full));
      },
    });
  }
  return registry;
}

/** Every token of `text` with its scopes, skipping whitespace-only tokens. */
export async function tokenize(scopeName: string, text: string): Promise<Token[]> {
  const grammar = await getRegistry().loadGrammar(scopeName);
  if (!grammar) {
    throw new Error(`no grammar for ${scopeName}`);
  }
  const tokens: Token[] = [];
  let stack = textmate.INITIAL;
  text.split(/\r?\n/).forEach((line, index) => {
    const result = grammar.tokenizeLine(line, stack);
    for (const token of result.tokens) {
      const piece = line.slice(token.startIndex, token.endIndex);
      if (piece.trim() !== '') {
        tokens.push({ line: index + 1, text: piece, scopes: token.scopes });
      }
    }
    stack = result.ruleStack;
  });
  return tokens;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const file = process.argv[2] ?? '';
  const scope = file.endsWith('.widl') ? 'source.widl' : 'source.wit';
  for (const token of await tokenize(scope, fs.readFileSync(file, 'utf8'))) {
    console.log(`${token.line}\t${JSON.stringify(token.text)}\t${token.scopes.slice(1).join(' ')}`);
  }
}
