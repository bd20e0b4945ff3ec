import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The engine is a pure function: it imports nothing but its own files (no Nest, no TypeORM, no I/O). */
describe('rules engine purity', () => {
  const directory = join(import.meta.dirname, '..', '..', '..', 'src', 'rules', 'engine');
  const files = readdirSync(directory).filter((name) => name.endsWith('.ts'));

  it.each(files)('%s imports only from the engine itself', (name) => {
    const source = readFileSync(join(directory, name), 'utf8');
    const specifiers = [...source.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    for (const specifier of specifiers) expect(specifier).toMatch(/^\.\/[a-z-]+\.js$/);
    expect(source).not.toMatch(/\brequire\(|\bimport\(|process\.|Date\.now|new Date|Math\.random/);
  });
});
