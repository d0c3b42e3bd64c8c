// The one notification for a missing binary: what was looked for, how to install it, and a
// button to the setting. Shown once per distinct problem, however many parts of the extension
// (the language server, a debug launch, Check Workspace) run into it.

import * as vscode from 'vscode';

const INSTALL_HINT =
  'Install it with `cargo install --path .` in a wasmscope checkout (it lands in ~/.cargo/bin), or set wasmscope.path to the binary.';

export class MissingBinaryNotice {
  #shownFor: string | undefined;

  /** Shows the notification unless it was already shown for this `reason`. */
  show(reason: string): void {
    if (this.#shownFor === reason) {
      return;
    }
    this.#shownFor = reason;
    void vscode.window
      .showErrorMessage(`wasmscope: ${reason} ${INSTALL_HINT}`, 'Open Settings')
      .then((choice) => {
        if (choice === 'Open Settings') {
          openPathSetting();
        }
      });
  }

  /** The binary was found (or the setting changed): a later problem is news again. */
  reset(): void {
    this.#shownFor = undefined;
  }
}

/**
 * Opens the settings editor at `wasmscope.path`. The setting is machine-specific: in a remote
 * window (Remote-SSH, WSL, code-server) VS Code takes it from the remote machine's settings
 * only, so that is the tab to open there.
 */
export function openPathSetting(): void {
  const command = vscode.env.remoteName ? 'workbench.action.openRemoteSettings' : 'workbench.action.openSettings';
  void vscode.commands.executeCommand(command, { query: 'wasmscope.path' });
}
