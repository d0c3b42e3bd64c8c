// `wasmscope check` prints one finding a line: `file:line:col: severity: message`, with a
// 1-based line and a 1-based column counted in characters (Unicode scalar values). This turns
// those lines into findings with 0-based positions in UTF-16 units, as editors count.

import * as path from 'node:path';

export type CheckSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface CheckFinding {
  /** Absolute path of the file. */
  readonly file: string;
  /** 0-based line. */
  readonly line: number;
  /** 0-based column in characters, as printed minus one. */
  readonly character: number;
  readonly severity: CheckSeverity;
  readonly message: string;
}

// The file part is lazy, so `C:\x\a.wit:3:4: error: …` keeps its drive letter and a message
// that itself contains `:1:2: error:` does not move the split.
const LINE = /^(.+?):(\d+):(\d+): (error|warning|info|note|hint): (.*)$/;

/** Findings in `output`; lines of any other shape (a summary, a log line) are skipped. */
export function parseCheckOutput(output: string, cwd: string): CheckFinding[] {
  const findings: CheckFinding[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const match = LINE.exec(raw);
    if (!match) {
      continue;
    }
    const [, file = '', line = '1', column = '1', severity = 'error', message = ''] = match;
    findings.push({
      file: path.resolve(cwd, file),
      line: Math.max(0, Number(line) - 1),
      character: Math.max(0, Number(column) - 1),
      severity: severity === 'note' ? 'info' : (severity as CheckSeverity),
      message,
    });
  }
  return findings;
}

/** Findings grouped by file, in the order files first appear. */
export function groupByFile(findings: readonly CheckFinding[]): Map<string, CheckFinding[]> {
  const byFile = new Map<string, CheckFinding[]>();
  for (const finding of findings) {
    const list = byFile.get(finding.file);
    if (list) {
      list.push(finding);
    } else {
      byFile.set(finding.file, [finding]);
    }
  }
  return byFile;
}

/** The UTF-16 column of the `characters`-th character of `lineText`. */
export function utf16Column(lineText: string, characters: number): number {
  let units = 0;
  let seen = 0;
  for (const ch of lineText) {
    if (seen === characters) {
      break;
    }
    units += ch.length;
    seen += 1;
  }
  return units + Math.max(0, characters - seen);
}

/**
 * The range a point finding underlines: the identifier-like word starting at or around
 * `column` (UTF-16), else the one character there, else nothing past the line's end.
 */
export function wordRange(lineText: string, column: number): { start: number; end: number } {
  const word = /[\p{L}\p{N}_-]/u;
  if (column >= lineText.length) {
    return { start: lineText.length, end: lineText.length };
  }
  if (!word.test(lineText[column] ?? '')) {
    return { start: column, end: column + 1 };
  }
  let start = column;
  while (start > 0 && word.test(lineText[start - 1] ?? '')) {
    start -= 1;
  }
  let end = column;
  while (end < lineText.length && word.test(lineText[end] ?? '')) {
    end += 1;
  }
  return { start, end };
}
