import { contentHash } from '../../src/common/content-hash.js';

describe('content hash', () => {
  const entry = { person: 'ab12', category: 'professional', hoursTenths: 15, completedOn: '2024-05-20', courseTitle: '课程' };

  it('is the same whatever order the fields come in', () => {
    const reordered = { courseTitle: '课程', completedOn: '2024-05-20', hoursTenths: 15, category: 'professional', person: 'ab12' };
    expect(contentHash(reordered).equals(contentHash(entry))).toBe(true);
  });

  it.each([
    ['hoursTenths', 16],
    ['category', 'general_public'],
    ['courseTitle', '课程 '],
    ['completedOn', '2024-05-21'],
  ])('changes when %s changes', (field, value) => {
    expect(contentHash({ ...entry, [field]: value }).equals(contentHash(entry))).toBe(false);
  });

  it('does not confuse a number with its string', () => {
    expect(contentHash({ ...entry, hoursTenths: '15' }).equals(contentHash(entry))).toBe(false);
  });

  it('is a 32-byte SHA-256 digest', () => {
    expect(contentHash(entry)).toHaveLength(32);
  });
});
