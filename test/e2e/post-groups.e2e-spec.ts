import { createConnection } from 'mysql2/promise';
import { entry } from '../support/entries.js';
import { spyOnQueries } from '../support/query-spy.js';
import { bearer, createProvider, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A provider's single posts that arrive together are written together (ledger/post-groups.ts), and
 * each is still answered exactly as if it had been sent alone: created, replayed, conflicting,
 * refused for its name or for the daily bound.
 */
describe('single posts written in groups', () => {
  let test: TestApp;
  let apiKey: string;
  let otherKey: string;
  beforeAll(async () => {
    test = await startTestApp('postgroups', { MAX_HOURS_PER_PERSON_DAY: '24' });
    apiKey = (await createProvider(test, 'postgroups')).apiKey;
    otherKey = (await createProvider(test, 'postgroups-other')).apiKey;
  });
  afterAll(() => test.close());

  const post = (body: object, key = apiKey) => test.http().post('/api/v1/hours').set(bearer(key)).send(body);

  it('answers each of 30 concurrent posts of two providers on its own, as if it had been sent alone', async () => {
    const known = (await post(entry('g-known', {}, 1)).expect(201)).body;
    await post(entry('g-p2', {}, 2)).expect(201);

    const fresh = Array.from({ length: 20 }, (_, i) => entry(`g-new-${i}`, {}, 10 + i));
    const day = [1, 2, 3].map((n) => entry(`g-day-${n}`, { hours: 10 }, 4));
    const answers = await Promise.all([
      ...fresh.map((body) => post(body)),
      post(entry('g-known', {}, 1)),
      post(entry('g-known', { hours: 11 }, 1)),
      post(entry('g-twice', {}, 3)),
      post(entry('g-twice', {}, 3)),
      post(entry('g-alias', { personName: '别名' }, 2)),
      ...day.map((body) => post(body)),
      // Another provider's externalIds are its own, and so is its daily bound: 10 more hours that day.
      post(entry('g-known', {}, 1), otherKey),
      post(entry('g-day-other', { hours: 10 }, 4), otherKey),
    ]);
    const statuses = answers.map((answer) => answer.status);

    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(201));
    expect(statuses.slice(28)).toEqual([201, 201]);
    expect(answers[28].body.id).not.toBe(known.id);
    expect(answers[20].status).toBe(200);
    expect(answers[20].body).toEqual(known);
    expect(answers[21].status).toBe(409);
    expect(answers[21].body.errors[0]).toMatchObject({ path: 'externalId', message: expect.stringContaining('g-known') });
    expect([answers[22].status, answers[23].status].sort()).toEqual([200, 201]);
    expect(answers[22].body.id).toBe(answers[23].body.id);
    expect(answers[24].status).toBe(422);
    expect(answers[24].body.errors[0]).toMatchObject({ path: 'personName' });
    // 30 hours on one day for one person, bound 24: whichever came last of the three is refused.
    expect(statuses.slice(25, 28).sort()).toEqual([201, 201, 422]);
    expect(answers.slice(25, 28).find((answer) => answer.status === 422)!.body.errors[0]).toMatchObject({ path: 'hours', message: expect.stringContaining('24') });

    // Every created answer is what a read of it returns, and nothing else was written.
    for (const [at, answer] of answers.entries()) {
      if (answer.status !== 201) continue;
      const key = at >= 28 ? otherKey : apiKey;
      const [stored] = (await test.http().get(`/api/v1/hours?externalId=${answer.body.externalId}`).set(bearer(key)).expect(200)).body.items;
      expect(answer.body).toEqual(stored);
    }
    const [{ entries, hours }] = await test.dataSource.query('SELECT COUNT(*) AS entries, SUM(hours_tenths) AS hours FROM hour_entries');
    expect(Number(entries)).toBe(2 + 20 + 1 + 2 + 2);
    const [{ totals }] = await test.dataSource.query('SELECT SUM(professional_tenths) AS totals FROM year_totals');
    expect(Number(totals)).toBe(Number(hours));
  });

  /** Sends a post now (supertest sends on `then`), for its status. */
  const send = (body: object, key = apiKey) => post(body, key).then((answer) => answer.status);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /**
   * Holds the four lanes (each opened when the ones before had stalled) with four posts for a person
   * whose row another transaction has locked, has
   * `queue` send its posts meanwhile (they wait behind the four, in the order they arrive), then lets
   * go: the statuses, and how many transactions committed from the first held post on.
   */
  async function whileLanesHeld(held: string, queue: () => Promise<Promise<number>[]>): Promise<{ held: number[]; waited: number[]; commits: number }> {
    const lock = await createConnection({ uri: process.env.DATABASE_URL });
    const queries = spyOnQueries(test.dataSource);
    try {
      await lock.query('START TRANSACTION');
      await lock.query("SELECT id FROM persons WHERE name = '学员50' FOR UPDATE");
      // One at a time: a lane opens for posts that wait only once every busy lane has stalled (25 ms).
      const holding: Promise<number>[] = [];
      for (const n of [1, 2, 3, 4]) {
        holding.push(send(entry(`${held}-${n}`, { hours: 1 }, 50), otherKey));
        await sleep(150);
      }
      // Time for the four to reach the lock, and then for the others to queue behind them.
      await sleep(400);
      const queued = await queue();
      await sleep(1000);
      await lock.query('COMMIT');
      return { held: await Promise.all(holding), waited: await Promise.all(queued), commits: queries.filter((sql) => /COMMIT$/.test(sql)).length };
    } finally {
      await lock.end();
    }
  }

  it('writes the posts that wait for a lane together: 4 lanes held, 26 posts, a few transactions', async () => {
    await post(entry('hold-0', { hours: 1 }, 50), otherKey).expect(201);
    const { held, waited, commits } = await whileLanesHeld('hold', async () => Array.from({ length: 26 }, (_, i) => send(entry(`wait-${i}`, {}, 100 + i), otherKey)));
    expect([...held, ...waited]).toEqual(Array(30).fill(201));
    // The four held posts one transaction each; the 26 that waited in at most four more.
    expect(commits).toBeLessThanOrEqual(8);
  });

  it('keeps the rest of a refused group together: the refused posts, and those that depend on theirs, go alone in order', async () => {
    const { held, waited, commits } = await whileLanesHeld('hold-again', async () => {
      const sent = Array.from({ length: 24 }, (_, i) => send(entry(`more-${i}`, {}, 200 + i), otherKey));
      // Person 100 is on record as 学员100, and wait-0 as 10 hours: a wrong name, a conflict, and a good post of theirs.
      sent.push(send(entry('more-alias', { personName: '别名' }, 100), otherKey));
      sent.push(send(entry('wait-0', { hours: 3 }, 100), otherKey));
      sent.push(send(entry('more-100', { hours: 1, completedOn: '2024-06-01' }, 100), otherKey));
      // 30 hours on one day (bound 24) in this order, with a resend of the first: the group names the
      // three, and the resend depends on the first (alone, in order, it replays it).
      for (const externalId of ['day-1', 'day-1', 'day-2', 'day-3']) {
        sent.push(send(entry(externalId, { hours: 10, completedOn: '2024-07-01' }, 60), otherKey));
        await sleep(50);
      }
      return sent;
    });
    expect([...held, ...waited]).toEqual([...Array(28).fill(201), 422, 409, 201, 201, 200, 201, 422]);
    // The held four, the rest of the group in one, and the five posts that go alone and write (a replay
    // commits too): one by one, the 24 others would take 24 more.
    expect(commits).toBeLessThanOrEqual(11);
  });
});
