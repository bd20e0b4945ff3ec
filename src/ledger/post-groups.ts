/** What one post of a group came to: its value, or the error to answer it with. */
export type PostResult<O> = { value: O } | { error: unknown };

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit in the application, as ledgers that take many small writes do it: a post that finds
 * one of `lanes` free is written at once, alone; posts that arrive while every lane is busy wait and
 * go together, up to `maxGroup`, in the next free lane. An idle service answers as fast as before; a
 * busy one spends two round trips, one COMMIT and one set of statements on a group instead of on
 * each post. `write` answers each item of a group on its own.
 */
export class PostGroups<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
  private busy = 0;

  constructor(
    private readonly lanes: number,
    private readonly maxGroup: number,
    private readonly write: (items: I[]) => Promise<PostResult<O>[]>,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (this.busy >= this.lanes || this.waiting.length === 0) return;
    const group = this.waiting.splice(0, this.maxGroup);
    this.busy += 1;
    let written: Promise<PostResult<O>[]>;
    try {
      written = this.write(group.map((waiting) => waiting.item));
    } catch (error) {
      // A write that throws at once still answers its posts and frees its lane.
      written = Promise.reject(error);
    }
    written
      .then(
        (results) =>
          group.forEach((waiting, index) => {
            // A write owes each post its result; one it forgot fails rather than waits forever.
            const result = results[index] ?? { error: new Error('The group write gave no result for this post') };
            if ('value' in result) waiting.resolve(result.value);
            else waiting.reject(result.error);
          }),
        (error: unknown) => group.forEach((waiting) => waiting.reject(error)),
      )
      .finally(() => {
        this.busy -= 1;
        this.dispatch();
      });
  }
}
