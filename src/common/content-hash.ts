import { hash } from 'node:crypto';

/**
 * SHA-256 of a flat record with its keys in a fixed order, so that the same content always
 * hashes the same whatever order a client sent its fields in.
 */
export function contentHash(record: Record<string, string | number>): Buffer {
  const canonical = JSON.stringify(Object.keys(record).sort().map((key) => [key, record[key]]));
  return hash('sha256', canonical, 'buffer');
}

/** JSON with the keys of a flat object in sorted order: the same object always prints the same. */
export const canonicalJson = (record: object): string =>
  JSON.stringify(Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
