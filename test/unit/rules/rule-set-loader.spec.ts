import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuleSets, parseRuleSet } from '../../../src/rules/rule-set-loader.js';

const RULES_DIR = join(import.meta.dirname, '..', '..', '..', 'config', 'rules');
const lishui = readFileSync(join(RULES_DIR, 'lishui-2024.yaml'), 'utf8');

describe('rule-set files', () => {
  it('loads the three published notices', () => {
    const ruleSets = loadRuleSets(RULES_DIR);
    expect(ruleSets.map((r) => [r.id, r.city, r.effectiveFrom, r.citation.document])).toEqual([
      ['lishui-2024', 'lishui', 2024, '丽人社函〔2024〕22号'],
      ['quzhou-2021', 'quzhou', 2021, '衢市人社专〔2021〕61号'],
      ['wenzhou-2019', 'wenzhou', 2019, '温职改办〔2019〕4号'],
    ]);
    for (const ruleSet of ruleSets) expect(ruleSet.citation.quote.length).toBeGreaterThan(20);
  });

  it.each([
    ['an unknown top-level key', lishui.replace('cityName: 丽水', 'cityName: 丽水\nmayor: x'), '(top level): unknown key "mayor"'],
    ['an unknown key in a check', lishui.replace('years: 2', 'years: 2\n            strict: true'), 'unknown key "strict"'],
    ['an unknown check kind', lishui.replace('kind: compliant_year_count', 'kind: lucky_number'), '/parameters/tracks/promotion/0/checks/1'],
    ['a missing citation', lishui.replace(/^citation:[\s\S]*?^parameters:/m, 'parameters:'), 'missing key "citation"'],
    ['a citation without its quote', lishui.replace(/^  quote: >-[\s\S]*?^parameters:/m, 'parameters:'), '/citation: missing key "quote"'],
    ['hours with two decimals', lishui.replace('total: 90,', 'total: 90.25,'), '/parameters/annualMinimum/total'],
    ['an unknown category', lishui.replace('generalPublic: 12', 'sports: 12'), 'unknown key "sports"'],
    ['annual checks without an annual minimum', lishui.replace(/^  annualMinimum: .*$/m, ''), 'missing key "annualMinimum"'],
  ])('refuses %s, naming the file and the key', (_label, source, message) => {
    expect(() => parseRuleSet('config/rules/lishui-2024.yaml', source)).toThrow('config/rules/lishui-2024.yaml');
    expect(() => parseRuleSet('config/rules/lishui-2024.yaml', source)).toThrow(message);
  });

  it('refuses a file whose name is not its id', () => {
    expect(() => parseRuleSet('config/rules/lishui-2025.yaml', lishui)).toThrow('key "id" is "lishui-2024"');
  });

  it('refuses two notices of one city with the same effectiveFrom', () => {
    const directory = mkdtempSync(join(tmpdir(), 'rules-'));
    writeFileSync(join(directory, 'lishui-2024.yaml'), lishui);
    writeFileSync(join(directory, 'lishui-2024b.yaml'), lishui.replace('id: lishui-2024', 'id: lishui-2024b'));
    expect(() => loadRuleSets(directory)).toThrow(/lishui-2024b\.yaml: key "effectiveFrom" 2024 is also that of .*lishui-2024\.yaml/);
  });

  it('accepts a later notice of the same city as a new file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'rules-'));
    writeFileSync(join(directory, 'lishui-2024.yaml'), lishui);
    writeFileSync(join(directory, 'lishui-2026.yaml'), lishui.replace('id: lishui-2024', 'id: lishui-2026').replace('effectiveFrom: 2024', 'effectiveFrom: 2026'));
    expect(loadRuleSets(directory).map((r) => r.id)).toEqual(['lishui-2024', 'lishui-2026']);
  });
});
