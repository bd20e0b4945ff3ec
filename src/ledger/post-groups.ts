/** What one post of a group came to: its value, or the error to answer it with. */
export type PostResult<O> = { value: O } | { error: unknown };

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export interface PostGroupsOptions {
  /** Lanes (groups written at the same time) at most. */
  lanes: number;
  /** Posts in a group at most. */
  maxGroup: number;
  /** How long every busy lane must have been writing before posts that wait open another lane, in ms. */
  stalledMs: number;
}

/**
 * Group commit in the application, as ledgers that take many small writes do it: a post that finds
 * no group being written is written at once, alone; posts that arrive while a group is being written
 * wait and go together, up to `maxGroup`, when it is done — two round trips, one COMMIT and one set of
 * statements for the group instead of for each post. A group that takes longer than `stalledMs` is
 * most likely waiting for a person that another transaction holds (a large batch): posts that wait
 * then go in another lane, up to `lanes`, so that one locked person does not hold everyone's posts.
 * `write` answers each item of a group on its own.
 */
export class PostGroups<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
  /** When each lane that is writing started, oldest first. */
  private readonly busySince: number[] = [];
  private recheck?: NodeJS.Timeout;

  constructor(
    private readonly options: PostGroupsOptions,
    private readonly write: (items: I[]) => Promise<PostResult<O>[]>,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (this.waiting.length === 0 || this.busySince.length >= this.options.lanes) return;
    const newest = this.busySince[this.busySince.length - 1];
    const stalledFor = newest === undefined ? Infinity : Date.now() - newest;
    if (stalledFor < this.options.stalledMs) {
      // Every busy lane is recent: wait for one to finish, or for the newest to count as stalled.
      this.recheck ??= setTimeout(() => {
        this.recheck = undefined;
        this.dispatch();
      }, this.options.stalledMs - stalledFor);
      this.recheck.unref();
      return;
    }
    const group = this.waiting.splice(0, this.options.maxGroup);
    const started = Date.now();
    this.busySince.push(started);
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
        this.busySince.splice(this.busySince.indexOf(started), 1);
        this.dispatch();
      });
  }
}
