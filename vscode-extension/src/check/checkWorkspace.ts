// "wasmscope: Check Workspace": `wasmscope check <folder>` for every workspace folder, its
// findings in the Problems panel. They are a picture of the files on disk: a file's findings
// are dropped as soon as the file is edited, and files open in an editor are left to the
// language server, which checks their unsaved text live, and a finding the server already
// shows (it scans the workspace too) is not shown a second time.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

import { type CheckFinding, groupByFile, parseCheckOutput, utf16Column, wordRange } from './checkOutput.ts';
import { locateBinary } from '../server/locateBinary.ts';
import type { MissingBinaryNotice } from '../server/missingBinary.ts';

/** The `source` of the language server's own diagnostics. */
const SERVER_SOURCE = 'wasmscope';

export class WorkspaceCheck implements vscode.Disposable {
  readonly #diagnostics = vscode.languages.createDiagnosticCollection('wasmscope check');
  readonly #output: vscode.LogOutputChannel;
  readonly #missing: MissingBinaryNotice;
  readonly #subscriptions: vscode.Disposable[] = [];
  readonly #serverRunning: () => boolean;

  constructor(output: vscode.LogOutputChannel, missing: MissingBinaryNotice, serverRunning: () => boolean) {
    this.#output = output;
    this.#missing = missing;
    this.#serverRunning = serverRunning;
    this.#subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) {
          this.#diagnostics.delete(e.document.uri);
        }
      }),
    );
  }

  /** Runs the check; resolves to the number of findings shown. */
  async run(): Promise<number> {
    const discovery = locateBinary();
    if (!discovery.found) {
      this.#missing.show(discovery.reason);
      return 0;
    }
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
      void vscode.window.showInformationMessage('wasmscope: open a folder to check it.');
      return 0;
    }
    this.#diagnostics.clear();
    const open = new Set(this.#serverRunning() ? vscode.workspace.textDocuments.map((d) => d.uri.fsPath) : []);
    let findings: CheckFinding[] = [];
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'wasmscope: checking the workspace' },
      async () => {
        for (const folder of folders) {
          const dir = folder.uri.fsPath;
          findings = findings.concat(await this.#checkFolder(discovery.path, dir));
        }
      },
    );
    let shown = 0;
    for (const [file, list] of groupByFile(findings)) {
      if (open.has(file)) {
        continue;
      }
      const uri = vscode.Uri.file(file);
      // The language server may already show the same finding (it scans the workspace too).
      const live = vscode.languages
        .getDiagnostics(uri)
        .filter((d) => d.source === SERVER_SOURCE)
        .map((d) => `${d.range.start.line}:${d.message}`);
      const fresh = list.filter((f) => !live.includes(`${f.line}:${f.message}`));
      if (fresh.length === 0) {
        continue;
      }
      const lines = readLines(file);
      const diagnostics = fresh.map((f) => toDiagnostic(f, lines[f.line] ?? ''));
      shown += diagnostics.length;
      this.#diagnostics.set(uri, diagnostics);
    }
    const message =
      findings.length === 0
        ? 'wasmscope check: no problems found.'
        : `wasmscope check: ${summary(findings)} in ${groupByFile(findings).size} file(s).`;
    this.#output.info(message);
    void vscode.window.setStatusBarMessage(message, 10_000);
    return shown;
  }

  #checkFolder(binary: string, dir: string): Promise<CheckFinding[]> {
    return new Promise((resolve) => {
      execFile(binary, ['check', dir], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        // Exit code 1 means "there are errors": the findings are in stdout all the same.
        const code = error && typeof error.code === 'number' ? error.code : error ? -1 : 0;
        if (code !== 0 && code !== 1) {
          this.#output.error(`wasmscope check ${dir} failed (${code}): ${stderr.trim()}`);
          void vscode.window.showErrorMessage(`wasmscope check failed: ${stderr.trim() || (error?.message ?? '')}`);
        }
        resolve(parseCheckOutput(stdout, dir));
      });
    });
  }

  dispose(): void {
    this.#diagnostics.dispose();
    for (const s of this.#subscriptions) {
      s.dispose();
    }
  }
}

/** "2 error(s), 1 warning(s)", counting every finding (shown here or by the server). */
function summary(findings: readonly CheckFinding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return `${errors} error(s), ${warnings} warning(s)`;
}

function toDiagnostic(finding: CheckFinding, lineText: string): vscode.Diagnostic {
  const column = utf16Column(lineText, finding.character);
  const { start, end } = wordRange(lineText, column);
  const severity = {
    error: vscode.DiagnosticSeverity.Error,
    warning: vscode.DiagnosticSeverity.Warning,
    info: vscode.DiagnosticSeverity.Information,
    hint: vscode.DiagnosticSeverity.Hint,
  }[finding.severity];
  const diagnostic = new vscode.Diagnostic(new vscode.Range(finding.line, start, finding.line, end), finding.message, severity);
  diagnostic.source = 'wasmscope check';
  return diagnostic;
}

function readLines(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split(/\r?\n/);
  } catch {
    return [];
  }
}
