// A real VS Code for the end-to-end tests: code-server (the VS Code workbench and extension
// host, from npm) with the packaged .vsix installed, on a fresh user-data directory, serving
// one workspace on a loopback port. See shared/VSCODE-E2E.md for why this and not
// @vscode/test-electron, and scripts/ci.sh for how the tools are installed.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface CodeServerOptions {
  /** The code-server launcher (`…/node_modules/.bin/code-server`). */
  readonly executable: string;
  /** The .vsix to install. */
  readonly vsix: string;
  /** The folder to open. */
  readonly workspace: string;
  /** Directories put first on PATH for the extension host (the wasmscope binary's). */
  readonly pathPrefix: readonly string[];
  /** User settings. */
  readonly settings: Record<string, unknown>;
  /**
   * Machine settings: code-server is a remote window, where VS Code applies settings of
   * `machine` scope (like `wasmscope.path`) only from these, not from the user's.
   */
  readonly machineSettings: Record<string, unknown>;
  /** Where code-server's own log goes. */
  readonly logFile: string;
}

export class CodeServer {
  readonly url: string;
  readonly userDataDir: string;
  readonly #child: ChildProcess;
  /** The temporary directory holding the user data and extensions directories. */
  readonly #root: string;

  private constructor(url: string, root: string, child: ChildProcess) {
    this.url = url;
    this.#root = root;
    this.userDataDir = path.join(root, 'user-data');
    this.#child = child;
  }

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmscope-vscode-'));
    const userDataDir = path.join(root, 'user-data');
    const extensionsDir = path.join(root, 'extensions');
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(options.machineSettings, null, 2));
    fs.mkdirSync(extensionsDir, { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2));
    const port = await freePort();
    const config = path.join(userDataDir, 'config.yaml');
    fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

    // code-server 4.139 runs on Node 24 only: the Node running these tests.
    const env = {
      ...process.env,
      PATH: [...options.pathPrefix, path.dirname(process.execPath), process.env['PATH'] ?? ''].join(path.delimiter),
    };
    await run(options.executable, [
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--install-extension', options.vsix,
    ], env);

    const log = fs.openSync(options.logFile, 'a');
    // `detached` makes it a process group leader (setsid), so that stopping it ends the
    // extension host, the language server and the file watcher with it.
    const child = spawn(
      options.executable,
      [
        '--bind-addr', `127.0.0.1:${port}`,
        '--auth', 'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--config', config,
        '--user-data-dir', userDataDir,
        '--extensions-dir', extensionsDir,
        options.workspace,
      ],
      { env, detached: true, stdio: ['ignore', log, log] },
    );
    const url = `http://127.0.0.1:${port}`;
    const server = new CodeServer(url, root, child);
    try {
      await waitForHealth(url, 60_000);
    } catch (error) {
      server.stop();
      throw error;
    }
    return server;
  }

  /** Rewrites the machine settings; VS Code picks the change up as a person's edit. */
  writeMachineSettings(settings: Record<string, unknown>): void {
    fs.writeFileSync(path.join(this.userDataDir, 'Machine', 'settings.json'), JSON.stringify(settings, null, 2));
  }

  /** The URL that opens `folder` in the workbench. */
  folderUrl(folder: string): string {
    return `${this.url}/?folder=${encodeURIComponent(folder)}`;
  }

  /** Ends code-server with everything it started, and removes its directories. */
  stop(): void {
    const pid = this.#child.pid;
    if (pid === undefined) {
      return;
    }
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && isGroupAlive(pid)) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
    if (isGroupAlive(pid)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    fs.rmSync(this.#root, { recursive: true, force: true });
  }
}

function isGroupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${path.basename(command)} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      } else {
        resolve();
      }
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/healthz`);
      const body = await response.text();
      // `alive` once a workbench is connected, `expired` while none is: either way it serves.
      if (response.ok && /"status"/.test(body)) {
        return;
      }
      last = body;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms (${last})`);
}
