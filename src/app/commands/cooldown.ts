// A per-user cooldown for costly read-only commands (a reader's /suspects spends GitHub requests
// and correlation time on every comment). In-process: each replica keeps its own, which bounds the
// cost per replica; bounded in size, so many users cannot grow it without limit.
import type { RepoRef } from "../../github/incidents/index.js";

export class Cooldowns {
  readonly #until = new Map<string, number>();

  constructor(
    private readonly periodMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  /** 0 and the period starts when `user` may run now; else the whole seconds left to wait. */
  take(repo: RepoRef, user: string): number {
    const key = `${repo.owner}/${repo.repo}#${user}`.toLowerCase();
    const now = this.now();
    const until = this.#until.get(key) ?? 0;
    if (until > now) return Math.ceil((until - now) / 1000);
    if (this.#until.size >= this.maxEntries) this.#until.delete(this.#until.keys().next().value!);
    this.#until.delete(key);
    this.#until.set(key, now + this.periodMs);
    return 0;
  }
}
