// Driving the VS Code workbench in Chromium as a person would: the command palette, Quick
// Open, Go to Line, the keyboard; and reading what the screen shows (views, toasts, the
// status bar). Every wait retries until its deadline rather than sleeping a fixed time.

import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Locator, Page } from 'playwright-core';

export class Workbench {
  readonly page: Page;
  readonly #artifacts: string;
  #shot = 0;

  constructor(page: Page, artifacts: string) {
    this.page = page;
    this.#artifacts = artifacts;
    fs.mkdirSync(artifacts, { recursive: true });
  }

  /** Saves a screenshot as `NN-name.png` in the artifacts directory and returns its path. */
  async screenshot(name: string): Promise<string> {
    this.#shot += 1;
    const file = path.join(this.#artifacts, `${String(this.#shot).padStart(2, '0')}-${name}.png`);
    // Let a closing palette and fading hovers settle, so the picture shows what is on screen.
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
    await this.page.waitForTimeout(300);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Runs a command by its title through the palette (F1), retrying while it is not there yet. */
  async command(title: string, timeoutMs = 30_000): Promise<void> {
    await retry(`command "${title}"`, timeoutMs, async () => {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`>${title}`);
      const row = this.page
        .locator('.quick-input-list .monaco-list-row')
        .filter({ has: this.page.locator('.label-name', { hasText: exactly(title) }) })
        .first();
      await row.waitFor({ state: 'visible', timeout: 3000 });
      await row.click();
    });
  }

  /** Opens a workspace file by its relative path through Quick Open (Ctrl+P). */
  async openFile(relativePath: string): Promise<void> {
    const name = path.basename(relativePath);
    await retry(`open ${relativePath}`, 30_000, async () => {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('Control+P');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(relativePath);
      const row = this.page
        .locator('.quick-input-list .monaco-list-row')
        .filter({ hasText: path.dirname(relativePath) === '.' ? name : path.dirname(relativePath) })
        .filter({ has: this.page.locator('.label-name', { hasText: exactly(name) }) })
        .first();
      await row.waitFor({ state: 'visible', timeout: 5000 });
      await row.click();
      await this.page.locator(`.tab.active[aria-label^="${name}"]`).waitFor({ state: 'visible', timeout: 5000 });
    });
    await this.focusEditor();
  }

  /** Focuses the active editor through the command that does so (never by clicking into it). */
  async focusEditor(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.command('View: Focus Active Editor Group');
  }

  /** Moves the cursor with Go to Line (1-based line and column). */
  async goTo(line: number, column = 1): Promise<void> {
    await retry(`go to ${line}:${column}`, 20_000, async () => {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('Control+G');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`:${line}:${column}`);
      await this.page.keyboard.press('Enter');
      await this.waitForText(this.statusBarSelection(), `Ln ${line}, Col ${column}`, 3000);
    });
  }

  /** The status bar's "Ln x, Col y". */
  statusBarSelection(): Locator {
    return this.page.locator('[id="status.editor.selection"]');
  }

  /** The status bar item of the wasmscope extension. */
  statusBarItem(): Locator {
    return this.page.locator('.statusbar-item').filter({ hasText: /wasmscope/ }).first();
  }

  /** The rows of the Problems panel, as their text. */
  async problems(): Promise<string[]> {
    return this.page.locator('.markers-panel .monaco-list-row').allInnerTexts();
  }

  /** Waits until some row of the Problems panel matches `pattern`; returns all rows. */
  async waitForProblem(pattern: RegExp, timeoutMs = 30_000): Promise<string[]> {
    return retry(`a problem matching ${String(pattern)}`, timeoutMs, async () => {
      const rows = await this.problems();
      if (!rows.some((r) => pattern.test(r.replace(/\s+/g, ' ')))) {
        throw new Error(`Problems shows: ${JSON.stringify(rows)}`);
      }
      return rows;
    });
  }

  /** Waits until no row of the Problems panel matches `pattern`. */
  async waitForNoProblem(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
    await retry(`no problem matching ${String(pattern)}`, timeoutMs, async () => {
      const rows = await this.problems();
      if (rows.some((r) => pattern.test(r.replace(/\s+/g, ' ')))) {
        throw new Error(`Problems still shows: ${JSON.stringify(rows)}`);
      }
    });
  }

  /** Waits until `locator`'s text matches. */
  async waitForText(locator: Locator, expected: string | RegExp, timeoutMs = 30_000): Promise<string> {
    return retry(`text ${String(expected)}`, timeoutMs, async () => {
      const text = (await locator.first().innerText({ timeout: 1000 })).replace(/\s+/g, ' ');
      const ok = typeof expected === 'string' ? text.includes(expected) : expected.test(text);
      if (!ok) {
        throw new Error(`saw ${JSON.stringify(text)}`);
      }
      return text;
    });
  }

  /** The notification toasts currently shown. */
  toasts(): Locator {
    return this.page.locator('.notifications-toasts .notification-toast');
  }
}

/** Runs `attempt` until it resolves or `timeoutMs` passes; the last error says why. */
export async function retry<T>(what: string, timeoutMs: number, attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${last instanceof Error ? last.message : String(last)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}
