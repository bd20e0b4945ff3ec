/** What one post of a group came to: its value, or the error to answer it with. */
export type PostResult<O> = { value: O } | { error: unknown };

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit in the application, as ledgers that take many small writes do it. Per key (a
 * provider): a post that finds one of the key's `lanes` free is written at once, alone; posts that
 * arrive while its lanes are busy wait and go together, up to `maxGroup`, in the next free lane. An
 * idle service answers as fast as before, and posts of different providers never wait for each
 * other; a provider that posts fast spends two round trips, one COMMIT and one set of statements on
 * a group instead of on each post. `write` answers each item of a group on its own.
 */
export class PostGroups<I, O> {
  private readonly waiting = new Map<string, Waiting<I, O>[]>();
  private readonly busy = new Map<string, number>();

  constructor(
    private readonly lanes: number,
    private readonly maxGroup: number,
    private readonly write: (key: string, items: I[]) => Promise<PostResult<O>[]>,
  ) {}

  submit(key: string, item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) queue.push({ item, resolve, reject });
      else this.waiting.set(key, [{ item, resolve, reject }]);
      this.dispatch(key);
    });
  }

  private dispatch(key: string): void {
    const queue = this.waiting.get(key);
    const busy = this.busy.get(key) ?? 0;
    if (!queue || busy >= this.lanes) return;
    const group = queue.splice(0, this.maxGroup);
    if (queue.length === 0) this.waiting.delete(key);
    this.busy.set(key, busy + 1);
    this.write(
      key,
      group.map((waiting) => waiting.item),
    )
      .then(
        (results) => group.forEach((waiting, index) => ('value' in results[index] ? waiting.resolve(results[index].value) : waiting.reject(results[index].error))),
        (error: unknown) => group.forEach((waiting) => waiting.reject(error)),
      )
      .finally(() => {
        const left = this.busy.get(key)! - 1;
        if (left === 0) this.busy.delete(key);
        else this.busy.set(key, left);
        this.dispatch(key);
      });
  }
}
