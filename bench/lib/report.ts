import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../src/common/project-root.js';

export type Row = Record<string, string | number>;

/** The machine a figure was measured on, stored with every result. */
export const machine = () => ({
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
});

export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  console.table(rows);
}

/** Writes bench/results/<name>-<timestamp>.json (ignored by git) and returns its path. */
export function writeResult(name: string, data: object): string {
  const directory = join(projectRoot(), 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(path, `${JSON.stringify({ name, measuredAt: new Date().toISOString(), machine: machine(), ...data }, null, 2)}\n`);
  return path;
}

export const round = (value: number, digits = 0) => Number(value.toFixed(digits));

/** Runs a benchmark's main() when its file is the process's entry point (not when a test imports it). */
export function runIfMain(moduleUrl: string, main: () => Promise<void>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
