import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder holding package.json: config/ lives there, whether the code runs from src/ or dist/src/. */
export function projectRoot(from = import.meta.dirname): string {
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    if (dirname(directory) === directory) throw new Error(`No package.json above ${from}`);
  }
}
