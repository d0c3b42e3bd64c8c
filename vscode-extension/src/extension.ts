// Entry point: wires the language server, the debugger and the workspace check to VS Code.
// Each part lives in its own module; this file only connects them.

import * as vscode from 'vscode';

import { WorkspaceCheck } from './check/checkWorkspace.ts';
import { AdapterFactory } from './debug/adapterFactory.ts';
import { CargoBuilder } from './debug/cargoBuild.ts';
import { ConfigurationProvider } from './debug/configurationProvider.ts';
import { DEBUG_TYPE } from './debug/launchConfig.ts';
import { LanguageServer } from './server/languageServer.ts';
import { MissingBinaryNotice, openPathSetting } from './server/missingBinary.ts';
import { ServerStatus } from './server/statusBar.ts';

let server: LanguageServer | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('wasmscope', { log: true });
  const status = new ServerStatus();
  const missing = new MissingBinaryNotice();
  const languageServer = new LanguageServer(output, status, missing);
  server = languageServer;
  const check = new WorkspaceCheck(output, missing, () => languageServer.client?.isRunning() ?? false);
  const builder = new CargoBuilder(output);
  const configurations = new ConfigurationProvider(builder, missing);

  context.subscriptions.push(
    output,
    status,
    check,
    builder,
    vscode.commands.registerCommand('wasmscope.restartServer', () => languageServer.restart('asked for')),
    vscode.commands.registerCommand('wasmscope.showOutput', () => output.show()),
    vscode.commands.registerCommand('wasmscope.openPathSetting', openPathSetting),
    vscode.commands.registerCommand('wasmscope.checkWorkspace', () => check.run()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('wasmscope')) {
        languageServer.onSettingsChanged();
      }
    }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, configurations),
    // The same configurations in the Run and Debug view's list, without a launch.json.
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: (folder) => configurations.provideDebugConfigurations(folder) },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new AdapterFactory(output, missing)),
  );

  void languageServer.start();
}

/** Stops the language server; VS Code waits for this before disposing the subscriptions. */
export async function deactivate(): Promise<void> {
  await server?.dispose();
  server = undefined;
}
