// How many crashes of the language server are restarted: at most `limit` within `windowMs`.
// After that the server stays down until the user restarts it, so a binary that dies at once
// does not spin forever.

export const RESTART_WINDOW_MS = 3 * 60 * 1000;

export class RestartBudget {
  readonly #limit: number;
  readonly #windowMs: number;
  #crashes: number[] = [];

  constructor(limit: number, windowMs: number = RESTART_WINDOW_MS) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Records a crash at `now` (ms) and says whether to restart after it. */
  crashed(now: number): boolean {
    this.#crashes = this.#crashes.filter((t) => now - t < this.#windowMs);
    this.#crashes.push(now);
    return this.#crashes.length <= this.#limit;
  }

  /** Crashes counted in the current window. */
  get recent(): number {
    return this.#crashes.length;
  }

  /** Forgets past crashes (a restart the user asked for, a new binary). */
  reset(): void {
    this.#crashes = [];
  }
}
