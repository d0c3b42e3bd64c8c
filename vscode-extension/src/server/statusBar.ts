// The status bar item that says what the language server is doing, and offers the one
// action that helps in that state.

import * as vscode from 'vscode';

export type ServerState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'running'; readonly binary: string; readonly version: string | undefined }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'crashed'; readonly detail: string }
  | { readonly kind: 'missing'; readonly detail: string };

export class ServerStatus implements vscode.Disposable {
  readonly #item: vscode.StatusBarItem;

  constructor() {
    this.#item = vscode.window.createStatusBarItem('wasmscope.server', vscode.StatusBarAlignment.Left, 0);
    this.#item.name = 'wasmscope language server';
    this.show({ kind: 'stopped' });
    this.#item.show();
  }

  show(state: ServerState): void {
    const item = this.#item;
    item.backgroundColor = undefined;
    switch (state.kind) {
      case 'starting':
        item.text = '$(sync~spin) wasmscope';
        item.tooltip = 'wasmscope: the language server is starting';
        item.command = 'wasmscope.showOutput';
        break;
      case 'running':
        item.text = '$(check) wasmscope';
        item.tooltip = `wasmscope ${state.version ?? ''}: the language server is running (${state.binary}). Click for its output.`;
        item.command = 'wasmscope.showOutput';
        break;
      case 'stopped':
        item.text = '$(circle-slash) wasmscope';
        item.tooltip = 'wasmscope: the language server is stopped. Click to start it.';
        item.command = 'wasmscope.restartServer';
        break;
      case 'crashed':
        item.text = '$(error) wasmscope';
        item.tooltip = `wasmscope: ${state.detail} Click to restart it.`;
        item.command = 'wasmscope.restartServer';
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
      case 'missing':
        item.text = '$(warning) wasmscope: binary not found';
        item.tooltip = `${state.detail} Click to set wasmscope.path.`;
        item.command = 'wasmscope.openPathSetting';
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
    }
  }

  dispose(): void {
    this.#item.dispose();
  }
}
