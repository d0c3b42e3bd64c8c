// Debug configurations of type `wasmscope`: what "Add Configuration" offers, F5 without a
// launch.json (build the crate, launch its `.wasm`), and a clear message instead of a failed
// session when a configuration cannot work.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

import type { CargoBuilder } from './cargoBuild.ts';
import { type CrateFacts, DEBUG_TYPE, DEFAULT_TARGET, resolveConfiguration } from './launchConfig.ts';
import { locateBinary } from '../server/locateBinary.ts';
import type { MissingBinaryNotice } from '../server/missingBinary.ts';

export class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  readonly #builder: CargoBuilder;
  readonly #missing: MissingBinaryNotice;

  constructor(builder: CargoBuilder, missing: MissingBinaryNotice) {
    this.#builder = builder;
    this.#missing = missing;
  }

  provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration[] {
    const hasCargo = folder ? fs.existsSync(path.join(folder.uri.fsPath, 'Cargo.toml')) : false;
    const build: vscode.DebugConfiguration = {
      type: DEBUG_TYPE,
      request: 'launch',
      name: `Build and debug the crate (${DEFAULT_TARGET})`,
      cwd: '${workspaceFolder}',
      args: [],
    };
    const program: vscode.DebugConfiguration = {
      type: DEBUG_TYPE,
      request: 'launch',
      name: 'Debug a .wasm file',
      program: `\${workspaceFolder}/target/${DEFAULT_TARGET}/debug/app.wasm`,
      args: [],
      cwd: '${workspaceFolder}',
    };
    return hasCargo ? [build, program] : [program];
  }

  /** Before variables are substituted: only F5 with no launch.json needs filling in here. */
  resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    if (config.type || config.request || config.name) {
      return config;
    }
    // Resolved in full below; the name and type make VS Code go on to that step.
    const facts = crateFacts(folder);
    const resolution = resolveConfiguration({}, facts);
    if (resolution.kind === 'error') {
      showWithLaunchJson(resolution.message);
      return undefined;
    }
    return resolution.config as vscode.DebugConfiguration;
  }

  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
    token?: vscode.CancellationToken,
  ): Promise<vscode.DebugConfiguration | null | undefined> {
    const resolution = resolveConfiguration(config, crateFacts(folder));
    if (resolution.kind === 'error') {
      showWithLaunchJson(resolution.message);
      return undefined;
    }
    if (resolution.config['request'] === 'launch') {
      const discovery = locateBinary();
      if (!discovery.found) {
        this.#missing.show(discovery.reason);
        return undefined;
      }
    }
    if (resolution.kind === 'ready') {
      return resolution.config as vscode.DebugConfiguration;
    }
    const built = await this.#builder.build(resolution.crateDir, resolution.cargoArgs, token);
    if (!built.ok) {
      // Not awaited: the launch must end now, not when the notification is dismissed.
      void vscode.window.showErrorMessage(built.message, 'Show Problems').then((choice) => {
        if (choice === 'Show Problems') {
          void vscode.commands.executeCommand('workbench.actions.view.problems');
        }
      });
      return undefined;
    }
    return { ...(resolution.config as vscode.DebugConfiguration), program: built.wasm };
  }
}

function crateFacts(folder: vscode.WorkspaceFolder | undefined): CrateFacts {
  const active = vscode.window.activeTextEditor?.document.uri;
  return {
    folder: (folder ?? vscode.workspace.workspaceFolders?.[0])?.uri.fsPath,
    activeFile: active?.scheme === 'file' ? active.fsPath : undefined,
    hasCargoToml: (dir) => fs.existsSync(path.join(dir, 'Cargo.toml')),
  };
}

/** The message, with a button to launch.json; not awaited, so the launch ends at once. */
function showWithLaunchJson(message: string): void {
  void vscode.window.showErrorMessage(message, 'Open launch.json').then((choice) => {
    if (choice === 'Open launch.json') {
      void vscode.commands.executeCommand('workbench.action.debug.configure');
    }
  });
}
