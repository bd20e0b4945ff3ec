import { PostGroups, type PostResult } from '../../src/ledger/post-groups.js';

/** A write whose groups finish when the test says, recording what each group held. */
function controlledWrite() {
  const groups: { key: string; items: number[]; finish: (results?: PostResult<string>[]) => void; fail: (error: Error) => void }[] = [];
  const write = (key: string, items: number[]) =>
    new Promise<PostResult<string>[]>((resolve, reject) => {
      groups.push({ key, items, finish: (results) => resolve(results ?? items.map((item) => ({ value: `${key}:${item}` }))), fail: reject });
    });
  return { groups, write };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('groups of single posts', () => {
  it('writes a post at once while a lane is free, and groups those that arrive while every lane is busy', async () => {
    const { groups, write } = controlledWrite();
    const posts = new PostGroups<number, string>(2, 500, write);
    const answers = [1, 2, 3, 4, 5].map((n) => posts.submit('a', n));
    expect(groups.map((g) => g.items)).toEqual([[1], [2]]);
    groups[0].finish();
    await settle();
    // The first lane free again takes everything that waited, in arrival order.
    expect(groups.map((g) => g.items)).toEqual([[1], [2], [3, 4, 5]]);
    groups[1].finish();
    groups[2].finish();
    expect(await Promise.all(answers)).toEqual(['a:1', 'a:2', 'a:3', 'a:4', 'a:5']);
    // Idle again: the next post goes alone, at once.
    const next = posts.submit('a', 6);
    expect(groups[3].items).toEqual([6]);
    groups[3].finish();
    expect(await next).toBe('a:6');
  });

  it('gives each key lanes of its own: one provider’s waiting posts never hold back another’s', async () => {
    const { groups, write } = controlledWrite();
    const posts = new PostGroups<number, string>(1, 500, write);
    const first = [posts.submit('a', 1), posts.submit('a', 2), posts.submit('b', 3)];
    expect(groups.map((g) => [g.key, g.items])).toEqual([['a', [1]], ['b', [3]]]);
    groups[1].finish();
    expect(await first[2]).toBe('b:3');
    groups[0].finish();
    await settle();
    expect(groups.map((g) => [g.key, g.items])).toEqual([['a', [1]], ['b', [3]], ['a', [2]]]);
    groups[2].finish();
    expect(await Promise.all(first.slice(0, 2))).toEqual(['a:1', 'a:2']);
  });

  it('keeps a group to maxGroup posts, the rest going in the next', async () => {
    const { groups, write } = controlledWrite();
    const posts = new PostGroups<number, string>(1, 2, write);
    const answers = [1, 2, 3, 4, 5, 6].map((n) => posts.submit('a', n));
    for (let i = 0; i < 4; i++) {
      groups[i].finish();
      await settle();
    }
    expect(groups.map((g) => g.items)).toEqual([[1], [2, 3], [4, 5], [6]]);
    expect(await Promise.all(answers)).toHaveLength(6);
  });

  it('answers each post of a group with its own result or error, and every post with the error of a failed write', async () => {
    const { groups, write } = controlledWrite();
    const posts = new PostGroups<number, string>(1, 500, write);
    const lone = posts.submit('a', 1);
    const grouped = [posts.submit('a', 2), posts.submit('a', 3)].map((answer) => answer.then((value) => ({ value }), (error: Error) => ({ error: error.message })));
    groups[0].fail(new Error('database down'));
    await expect(lone).rejects.toThrow('database down');
    await settle();
    groups[1].finish([{ value: 'a:2' }, { error: new Error('conflict') }]);
    expect(await Promise.all(grouped)).toEqual([{ value: 'a:2' }, { error: 'conflict' }]);
  });
});
