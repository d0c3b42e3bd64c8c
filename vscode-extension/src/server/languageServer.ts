// `wasmscope lsp` through vscode-languageclient: started with the binary `locateBinary` finds,
// restarted after a crash within a budget, by command, when the settings that start it change
// and when the binary file itself is replaced (a `cargo install` of a new version).

import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  CloseAction,
  type CloseHandlerResult,
  ErrorAction,
  type ErrorHandlerResult,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';

import { locateBinary } from './locateBinary.ts';
import type { MissingBinaryNotice } from './missingBinary.ts';
import { RestartBudget } from './restartBudget.ts';
import type { ServerStatus } from './statusBar.ts';
import { needsRestart, readSettings, type Settings } from '../settings.ts';

/**
 * Every document the server reads: WIT and WIDL by language, YAML by file pattern (the server
 * looks at a YAML file's keys and ignores anything that is not a wadm or host manifest), and
 * wash's `wasmcloud.toml`.
 */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'wit' },
  { scheme: 'untitled', language: 'wit' },
  { scheme: 'file', language: 'widl' },
  { scheme: 'untitled', language: 'widl' },
  { scheme: 'file', pattern: '**/*.{yaml,yml}' },
  { scheme: 'file', pattern: '**/wasmcloud.toml' },
];

export class LanguageServer implements vscode.Disposable {
  readonly #output: vscode.LogOutputChannel;
  readonly #status: ServerStatus;
  readonly #missing: MissingBinaryNotice;
  #client: LanguageClient | undefined;
  #budget: RestartBudget;
  #settings: Settings;
  #watchedBinary: string | undefined;
  #binaryChanged: NodeJS.Timeout | undefined;
  /** Serialises start/stop so that quick successive restarts do not overlap. */
  #queue: Promise<void> = Promise.resolve();

  constructor(output: vscode.LogOutputChannel, status: ServerStatus, missing: MissingBinaryNotice) {
    this.#output = output;
    this.#status = status;
    this.#missing = missing;
    this.#settings = currentSettings();
    this.#budget = new RestartBudget(this.#settings.restartLimit);
  }

  /** The running client, if any (tests and commands ask it). */
  get client(): LanguageClient | undefined {
    return this.#client;
  }

  start(): Promise<void> {
    return this.#enqueue(() => this.#start());
  }

  restart(why: string): Promise<void> {
    return this.#enqueue(async () => {
      this.#output.info(`Restarting the language server: ${why}`);
      await this.#stop();
      this.#budget = new RestartBudget(this.#settings.restartLimit);
      await this.#start();
    });
  }

  /** Called on every configuration change; restarts when it matters to the server. */
  onSettingsChanged(): void {
    const before = this.#settings;
    const after = currentSettings();
    this.#settings = after;
    if (before.path !== after.path) {
      this.#missing.reset();
    }
    if (needsRestart(before, after)) {
      void this.restart('its settings changed');
    }
  }

  async dispose(): Promise<void> {
    this.#unwatchBinary();
    await this.#enqueue(() => this.#stop());
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(step, step);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #start(): Promise<void> {
    const discovery = locateBinary();
    if (!discovery.found) {
      this.#output.error(`${discovery.reason} Looked at: ${discovery.tried.join(', ') || 'nothing'}`);
      this.#status.show({ kind: 'missing', detail: discovery.reason });
      this.#missing.show(discovery.reason);
      return;
    }
    const binary = discovery.path;
    this.#output.info(`Starting ${binary} lsp (found through ${discovery.source})`);
    this.#status.show({ kind: 'starting' });
    const serverOptions: ServerOptions = {
      command: binary,
      // No `transport`: stdio without the `--stdio` argument vscode-languageclient would add.
      args: ['lsp'],
      options: { env: { ...process.env, ...this.#settings.serverEnv } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.#output,
      errorHandler: {
        error: (error, _message, count): ErrorHandlerResult => {
          this.#output.error(`Connection to the language server failed: ${error.message}`);
          return { action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
        },
        closed: (): CloseHandlerResult => this.#closed(),
      },
      initializationFailedHandler: (error) => {
        this.#output.error(`The language server failed to initialize: ${String(error)}`);
        this.#status.show({ kind: 'crashed', detail: 'the language server failed to initialize.' });
        return false;
      },
    };
    // The id makes vscode-languageclient follow the `wasmscope.trace.server` setting.
    const client = new LanguageClient('wasmscope', 'wasmscope', serverOptions, clientOptions);
    client.onDidChangeState((event) => {
      if (this.#client !== client) {
        return;
      }
      if (event.newState === State.Running) {
        this.#status.show({ kind: 'running', binary, version: client.initializeResult?.serverInfo?.version });
      } else if (event.newState === State.Starting) {
        this.#status.show({ kind: 'starting' });
      }
    });
    this.#client = client;
    try {
      await client.start();
      this.#missing.reset();
      this.#watchBinary(binary);
    } catch (error) {
      this.#output.error(`Could not start ${binary} lsp: ${String(error)}`);
      this.#status.show({ kind: 'crashed', detail: `could not start ${binary} lsp.` });
    }
  }

  #closed(): CloseHandlerResult {
    if (this.#budget.crashed(Date.now())) {
      this.#output.warn(`The language server stopped unexpectedly; restarting it (${this.#budget.recent} in the last 3 minutes).`);
      return { action: CloseAction.Restart, handled: true };
    }
    const detail = `the language server crashed ${this.#budget.recent} times in 3 minutes and is not restarted again.`;
    this.#status.show({ kind: 'crashed', detail });
    void vscode.window
      .showErrorMessage(`wasmscope: ${detail}`, 'Show Output', 'Restart')
      .then((choice) => {
        if (choice === 'Show Output') {
          this.#output.show();
        } else if (choice === 'Restart') {
          void this.restart('asked for after crashes');
        }
      });
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  async #stop(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    this.#unwatchBinary();
    if (client) {
      try {
        if (client.state !== State.Stopped) {
          await client.stop(2000);
        }
      } catch (error) {
        this.#output.warn(`Stopping the language server: ${String(error)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.#status.show({ kind: 'stopped' });
  }

  /** Restarts when the binary file is replaced: polling survives the rename cargo install does. */
  #watchBinary(binary: string): void {
    this.#unwatchBinary();
    this.#watchedBinary = binary;
    fs.watchFile(binary, { interval: 2000, persistent: false }, (current, previous) => {
      if (current.mtimeMs === previous.mtimeMs || current.mtimeMs === 0) {
        return;
      }
      clearTimeout(this.#binaryChanged);
      this.#binaryChanged = setTimeout(() => void this.restart(`${binary} changed`), 1000);
    });
  }

  #unwatchBinary(): void {
    clearTimeout(this.#binaryChanged);
    if (this.#watchedBinary) {
      fs.unwatchFile(this.#watchedBinary);
      this.#watchedBinary = undefined;
    }
  }
}

function currentSettings(): Settings {
  return readSettings((key) => vscode.workspace.getConfiguration('wasmscope').get(key));
}
