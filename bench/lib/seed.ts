import { checkCharacter } from '../../src/common/id-number.js';
import { type BenchApp, postJson } from './bench-app.js';

/** A valid resident ID number for bench person `n`. */
export const benchIdNumber = (n: number) => {
  const first17 = `330102198001${String((Math.floor(n / 1000) % 28) + 1).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
};

/**
 * A provider, a title system and one applicant with 10 ledger years × 20 entries (2016-2025), posted
 * through the API; with an applicant token for reads of their own.
 */
export async function seedApplicant(bench: BenchApp, code: string, person: number) {
  const provider = await bench.admin('/api/v1/admin/providers', { code, name: 'Bench provider' });
  const titleSystem = await bench.admin('/api/v1/admin/clients', { name: 'Bench title system', role: 'title_system' });
  const idNumber = benchIdNumber(person);
  const categories = ['professional', 'professional', 'general_public', 'industry_public'];
  const entries = Array.from({ length: 200 }, (_, i) => ({
    externalId: `${code}-${i}`,
    idNumber,
    personName: '测试',
    category: categories[i % 4],
    hours: 9.5,
    completedOn: `${2016 + Math.floor(i / 20)}-${String((i % 12) + 1).padStart(2, '0')}-10`,
    courseTitle: `课程 ${i}`,
  }));
  await postJson(`${bench.url}/api/v1/hours/batch`, provider.apiKey, { entries });
  const { token } = await bench.admin('/api/v1/admin/applicant-tokens', { idNumber, ttlSeconds: 3600 });
  return { idNumber, titleSystemKey: titleSystem.apiKey as string, applicantToken: token as string };
}
