// Work a route goes on with after its answer is sent (the sign-in link is made and mailed after the
// page that says it is on its way). It is kept here until it ends, so that a stop lets it finish
// before the database and the mailer close: an ask that was answered is not lost in a deploy.

export class AfterAnswer {
  readonly #running = new Set<Promise<void>>();

  /** Starts `work`; a failure goes to `failed` (the work is not retried). */
  start(work: () => Promise<unknown>, failed: (err: unknown) => void): void {
    const p: Promise<void> = work()
      .then(() => undefined, failed)
      .finally(() => this.#running.delete(p));
    this.#running.add(p);
  }

  /** Resolves when the work started so far has ended, or after `limitMs` with some still running (false). */
  async settled(limitMs = 10_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), limitMs)));
    const all = (async () => {
      while (this.#running.size) await Promise.all([...this.#running]);
      return true as const;
    })();
    try {
      return await Promise.race([all, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
