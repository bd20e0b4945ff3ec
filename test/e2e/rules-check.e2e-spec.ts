import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const check = (file: string) =>
  run(process.execPath, [join(root, 'dist', 'src', 'rules', 'rules-check.js'), file], { cwd: root }).then(
    ({ stdout }) => ({ code: 0, output: stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
  );

/** `npm run rules:check <file>` (the compiled script, as the npm script runs it) checks a rule set before it is deployed. */
describe('rules:check', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'rules-check-'));
    cpSync(join(root, 'config', 'rules'), folder, { recursive: true });
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('passes a published rule set with its cases', async () => {
    const result = await check(join(folder, 'lishui-2024.yaml'));
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/lishui-2024: \d+ passed, 0 failed/);
  });

  it('fails a rule set whose cases no longer hold, naming the case', async () => {
    const file = join(folder, 'lishui-2024.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('annualMinimum: { total: 90,', 'annualMinimum: { total: 80,'));
    const result = await check(file);
    expect(result.code).toBe(1);
    expect(result.output).toContain('✗ total 89.9 is 0.1 short');
  });

  it('fails a rule set without cases, or naming a series not on the list', async () => {
    rmSync(join(folder, 'wenzhou-2019.cases.yaml'));
    expect((await check(join(folder, 'wenzhou-2019.yaml'))).output).toContain('every rule set comes with its cases');
    const quzhou = join(folder, 'quzhou-2021.yaml');
    writeFileSync(quzhou, readFileSync(quzhou, 'utf8').replace('    - economics', '    - economy'));
    const result = await check(quzhou);
    expect(result.code).toBe(1);
    expect(result.output).toContain('series economy not in config/series.yaml');
  });
});
