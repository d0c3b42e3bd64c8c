// Asks the wasmscope binary directly what its language server offers, so that an end-to-end
// step that depends on a feature still being built elsewhere is reported as pending (with
// the reason) when the server lacks it, and as a failure when the server has it.

import { execFile, spawn } from 'node:child_process';

/** The `capabilities` of `wasmscope lsp`'s initialize result. */
export function serverCapabilities(binary: string, rootPath: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['lsp'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('wasmscope lsp did not answer initialize within 10 s'));
    }, 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) {
          return;
        }
        const length = Number(/Content-Length: *(\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1] ?? -1);
        if (length < 0 || buffer.length < headerEnd + 4 + length) {
          return;
        }
        const body = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as {
          id?: number;
          result?: { capabilities?: Record<string, unknown> };
        };
        buffer = buffer.subarray(headerEnd + 4 + length);
        if (body.id === 1) {
          clearTimeout(timer);
          send({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
          send({ jsonrpc: '2.0', method: 'exit' });
          child.stdin.end();
          resolve(body.result?.capabilities ?? {});
        }
      }
    });
    child.on('error', reject);
    const send = (message: unknown) => {
      const text = JSON.stringify(message);
      child.stdin.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { processId: process.pid, rootUri: `file://${rootPath}`, capabilities: {} },
    });
  });
}

/** The lines `wasmscope check FILE` prints. */
export function checkLines(binary: string, file: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile(binary, ['check', file], (_error, stdout) => resolve(stdout.split('\n').filter((l) => l.trim() !== '')));
  });
}
