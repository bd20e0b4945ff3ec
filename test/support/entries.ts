import { testIdNumber } from './id-numbers.js';

export interface EntryBody {
  externalId: string;
  idNumber: string;
  personName: string;
  category: 'professional' | 'general_public' | 'industry_public';
  hours: number;
  completedOn: string;
  courseTitle: string;
}

/** A valid hours entry for test person `person`; override any field. */
export const entry = (externalId: string, overrides: Partial<EntryBody> = {}, person = 1): EntryBody => ({
  externalId,
  idNumber: testIdNumber(person),
  personName: `学员${person}`,
  category: 'professional',
  hours: 10,
  completedOn: '2024-05-20',
  courseTitle: '专业技术课程',
  ...overrides,
});
