import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActivityTypesConfigError, loadActivityTypes } from '../../src/self-reports/activity-types.js';
import { evidenceMediaType } from '../../src/self-reports/evidence-store.js';

const fileWith = (yaml: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'activity-types-')), 'activity-types.yaml');
  writeFileSync(file, yaml);
  return file;
};
const type = (fields: string) => `activityTypes:\n  - { code: conference, name: 学术会议, categories: [professional], maxHoursPerItem: 8, maxHoursPerYear: 40, evidenceRequired: true${fields} }\n`;

describe('config/activity-types.yaml', () => {
  it('the shipped file is valid: every type has a name, categories and caps (per item ≤ per year)', () => {
    const types = loadActivityTypes();
    expect(types.length).toBeGreaterThan(0);
    for (const t of types) expect(t.maxHoursPerItem).toBeLessThanOrEqual(t.maxHoursPerYear);
  });

  it.each([
    ['an unknown category', type('').replace('[professional]', '[karaoke]'), /categories/],
    ['an unknown field', type(', bonus: 1'), /additional properties/],
    ['a cap with two decimals', type('').replace('maxHoursPerItem: 8', 'maxHoursPerItem: 8.25'), /at most one decimal/],
    ['per item above per year', type('').replace('maxHoursPerItem: 8', 'maxHoursPerItem: 41'), /maxHoursPerItem is more than maxHoursPerYear/],
    ['a type listed twice', type('') + type('').replace('activityTypes:\n', ''), /listed twice/],
    ['a code with capitals', type('').replace('code: conference', 'code: Conference'), /code/],
  ])('refuses %s, naming the file', (_what, yaml, problem) => {
    const file = fileWith(yaml);
    expect(() => loadActivityTypes(file)).toThrow(ActivityTypesConfigError);
    expect(() => loadActivityTypes(file)).toThrow(problem);
    expect(() => loadActivityTypes(file)).toThrow(file);
  });
});

describe('evidence types by content', () => {
  it.each([
    ['%PDF-1.7\n…', 'application/pdf'],
    ['\xff\xd8\xff\xe0JFIF', 'image/jpeg'],
    ['\x89PNG\r\n\x1a\n…', 'image/png'],
    ['<html>%PDF-', null],
    ['GIF89a', null],
    ['', null],
  ])('%j → %s', (head, expected) => {
    expect(evidenceMediaType(Buffer.from(head, 'latin1'))).toBe(expected);
  });
});
