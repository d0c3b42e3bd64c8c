// How VS Code reaches the debug adapter: `launch` starts `wasmscope dap` (DAP over stdio);
// `attach` connects to a program serving debuggers, `wasmscope run --debug HOST:PORT` (or to an
// adapter serving sessions, `wasmscope dap --listen HOST:PORT`).

import * as vscode from 'vscode';

import { adapterPlan } from './launchConfig.ts';
import { locateBinary } from '../server/locateBinary.ts';
import type { MissingBinaryNotice } from '../server/missingBinary.ts';

export class AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  readonly #missing: MissingBinaryNotice;
  readonly #output: vscode.LogOutputChannel;

  constructor(output: vscode.LogOutputChannel, missing: MissingBinaryNotice) {
    this.#output = output;
    this.#missing = missing;
  }

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    if (session.configuration.request === 'attach') {
      const plan = adapterPlan(session.configuration, '');
      if (plan.kind === 'server') {
        this.#output.info(`Debug session "${session.name}": connecting to the adapter at ${plan.host}:${plan.port}`);
        return new vscode.DebugAdapterServer(plan.port, plan.host);
      }
    }
    const discovery = locateBinary();
    if (!discovery.found) {
      this.#missing.show(discovery.reason);
      throw new Error(`wasmscope: ${discovery.reason}`);
    }
    const plan = adapterPlan(session.configuration, discovery.path);
    if (plan.kind === 'server') {
      return new vscode.DebugAdapterServer(plan.port, plan.host);
    }
    this.#output.info(`Debug session "${session.name}": ${plan.command} ${plan.args.join(' ')}`);
    return new vscode.DebugAdapterExecutable(plan.command, plan.args);
  }
}
