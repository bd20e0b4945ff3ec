import { chainHash as chainHashOfMigration } from '../../migrations/1796000000002-LedgerChain.js';
import { chainHash, GENESIS } from '../../src/ledger/chain.js';

const providerEntry = {
  id: '0190f0c2-0000-7000-8000-000000000001',
  providerId: '0190f0c2-0000-7000-8000-0000000000aa',
  externalId: 'course-2024-17',
  externalGeneration: 0,
  personId: '0190f0c2-0000-7000-8000-0000000000bb',
  category: 'professional',
  hoursTenths: 125,
  completedOn: '2024-05-06',
  ledgerYear: 2024,
  personName: '张三',
  courseTitle: '继续教育课程',
  contentHash: Buffer.alloc(32, 7),
  reversesEntryId: null,
  reversalReason: null,
  createdAt: '2024-05-07 08:09:10.123',
};

describe('the ledger hash chain', () => {
  it('hashes a provider entry as the migration that chained the entries before it did, so that those rows still verify', () => {
    const first = chainHash(GENESIS, { ...providerEntry, source: 'provider', recorderName: null });
    expect(chainHashOfMigration(GENESIS, providerEntry)).toEqual(first);
    const second = { ...providerEntry, id: '0190f0c2-0000-7000-8000-000000000002', hoursTenths: -125, reversesEntryId: providerEntry.id, reversalReason: '更正' };
    expect(chainHashOfMigration(first, second)).toEqual(chainHash(first, { ...second, source: 'provider', recorderName: null }));
    // Content longer than the reused buffer, in three- and four-byte characters; and a short one after it.
    const long = { ...second, reversalReason: '更正😀'.repeat(1500) };
    expect(chainHash(first, { ...long, source: 'provider', recorderName: null })).toEqual(chainHashOfMigration(first, long));
    expect(chainHash(first, { ...second, source: 'provider', recorderName: null })).toEqual(chainHashOfMigration(first, second));
  });

  it('hashes a self-reported entry with its origin and recorder, and links each entry to the one before', () => {
    const selfReported = { ...providerEntry, providerId: null, source: 'self_report', recorderName: '某某单位' };
    expect(chainHash(GENESIS, selfReported)).not.toEqual(chainHash(GENESIS, { ...selfReported, recorderName: '另一单位' }));
    expect(chainHash(GENESIS, selfReported)).not.toEqual(chainHash(Buffer.alloc(32, 1), selfReported));
  });
});
