import { PostGroups, type PostResult } from '../../src/ledger/post-groups.js';

/** A write whose groups finish when the test says, recording what each group held. */
function controlledWrite() {
  const groups: { items: number[]; finish: (results?: PostResult<string>[]) => void; fail: (error: Error) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<PostResult<string>[]>((resolve, reject) => {
      groups.push({ items, finish: (results) => resolve(results ?? items.map((item) => ({ value: `done ${item}` }))), fail: reject });
    });
  return { groups, write };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('groups of single posts', () => {
  const NEVER = 3_600_000;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('writes a post at once while no group is being written, and groups those that arrive meanwhile', async () => {
    const { groups, write } = controlledWrite();
    const posts = new PostGroups<number, string>({ lanes: 2, maxGroup: 500, stalledMs: NEVER }, write);
    const answers = [1, 2, 3, 4, 5].map((n) => posts.submit(n));
    expect(groups.map((g) => g.items)).toEqual([[1]]);
    groups[0].finish();
    await settle();
    // The lane free again takes everything that waited, in arrival order.
    expect(groups.map((g) => g.items)).toEqual([[1], [2, 3, 4, 5]]);
    groups[1].finish();
    expect(await Promise.all(answers)).toEqual(['done 1', 'done 2', 'done 3', 'done 4', 'done 5']);
    // Idle again: the next post goes alone, at once.
    const next = posts.submit(6);
    expect(groups[2].items).toEqual([6]);
    groups[2].finish();
    expect(await next).toBe('done 6');
  });

  it('opens another lane, up to the limit, for posts that wait while every group being written has stalled', async () => {
    const { groups, write } = controlledWrite();
    const posts = new PostGroups<number, string>({ lanes: 2, maxGroup: 500, stalledMs: 40 }, write);
    const answers = [posts.submit(1), posts.submit(2)];
    await sleep(10);
    expect(groups.map((g) => g.items)).toEqual([[1]]);
    // The first group has not finished in 40 ms (a locked person, say): the post that waits goes in a second lane.
    await sleep(60);
    expect(groups.map((g) => g.items)).toEqual([[1], [2]]);
    // Both lanes busy: the next posts wait, however long, until one is free.
    answers.push(posts.submit(3), posts.submit(4));
    await sleep(60);
    expect(groups).toHaveLength(2);
    groups[1].finish();
    await settle();
    expect(groups.map((g) => g.items)).toEqual([[1], [2], [3, 4]]);
    groups[0].finish();
    groups[2].finish();
    expect(await Promise.all(answers)).toEqual(['done 1', 'done 2', 'done 3', 'done 4']);
  });

  it('keeps a group to maxGroup posts, the rest going in the next', async () => {
    const { groups, write } = controlledWrite();
    const posts = new PostGroups<number, string>({ lanes: 1, maxGroup: 2, stalledMs: NEVER }, write);
    const answers = [1, 2, 3, 4, 5, 6].map((n) => posts.submit(n));
    for (let i = 0; i < 4; i++) {
      groups[i].finish();
      await settle();
    }
    expect(groups.map((g) => g.items)).toEqual([[1], [2, 3], [4, 5], [6]]);
    expect(await Promise.all(answers)).toHaveLength(6);
  });

  it('answers each post of a group with its own result or error, and every post with the error of a failed write', async () => {
    const { groups, write } = controlledWrite();
    const posts = new PostGroups<number, string>({ lanes: 1, maxGroup: 500, stalledMs: NEVER }, write);
    const lone = posts.submit(1);
    const grouped = [posts.submit(2), posts.submit(3)].map((answer) => answer.then((value) => ({ value }), (error: Error) => ({ error: error.message })));
    groups[0].fail(new Error('database down'));
    await expect(lone).rejects.toThrow('database down');
    await settle();
    groups[1].finish([{ value: 'done 2' }, { error: new Error('conflict') }]);
    expect(await Promise.all(grouped)).toEqual([{ value: 'done 2' }, { error: 'conflict' }]);
  });

  it('frees the lane of a write that throws at once', async () => {
    let calls = 0;
    const posts = new PostGroups<number, string>({ lanes: 1, maxGroup: 500, stalledMs: NEVER }, (items) => {
      calls += 1;
      if (calls === 1) throw new Error('thrown at once');
      return Promise.resolve(items.map((item) => ({ value: `done ${item}` })));
    });
    await expect(posts.submit(1)).rejects.toThrow('thrown at once');
    expect(await posts.submit(2)).toBe('done 2');
  });
});
