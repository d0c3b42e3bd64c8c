// The extension's settings, read through a getter so that the rules (defaults, bounds, what
// counts as unset) are tested without VS Code. `extension.ts` passes the workspace
// configuration's `get`.

export type Trace = 'off' | 'messages' | 'verbose';

export interface Settings {
  /** `wasmscope.path`, trimmed; undefined when unset or blank. */
  readonly path: string | undefined;
  /** `wasmscope.trace.server`: LSP traffic in the output channel. */
  readonly trace: Trace;
  /** `wasmscope.server.restartLimit`: crashes tolerated within three minutes before giving up. */
  readonly restartLimit: number;
  /** `wasmscope.server.extraEnv`: environment variables for `wasmscope lsp` (e.g. WASMSCOPE_LOG). */
  readonly serverEnv: Readonly<Record<string, string>>;
}

export const DEFAULT_RESTART_LIMIT = 4;

/** Reads one key of the `wasmscope` section (undefined when absent). */
export type SettingGetter = (key: string) => unknown;

export function readSettings(get: SettingGetter): Settings {
  const rawPath = get('path');
  const path = typeof rawPath === 'string' && rawPath.trim() !== '' ? rawPath.trim() : undefined;

  const rawTrace = get('trace.server');
  const trace: Trace = rawTrace === 'messages' || rawTrace === 'verbose' ? rawTrace : 'off';

  const rawLimit = get('server.restartLimit');
  const restartLimit =
    typeof rawLimit === 'number' && Number.isFinite(rawLimit) && rawLimit >= 0
      ? Math.floor(rawLimit)
      : DEFAULT_RESTART_LIMIT;

  const serverEnv: Record<string, string> = {};
  const rawEnv = get('server.extraEnv');
  if (rawEnv && typeof rawEnv === 'object' && !Array.isArray(rawEnv)) {
    for (const [name, value] of Object.entries(rawEnv)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        serverEnv[name] = String(value);
      }
    }
  }
  return { path, trace, restartLimit, serverEnv };
}

/** Whether a change of settings means the language server must be started again. */
export function needsRestart(before: Settings, after: Settings): boolean {
  return before.path !== after.path || JSON.stringify(before.serverEnv) !== JSON.stringify(after.serverEnv);
}
