// Installs Debian packages a test step needs, once: as root with apt-get, whatever `missing()` still names;
// for anyone else, the command to run, and a non-zero exit.
import { execFileSync, spawnSync } from 'node:child_process';

export const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

export function ensurePackages(purpose, missing, hint = '') {
  const needed = missing();
  if (needed.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !hasCommand('apt-get')) {
    console.error(`${purpose} need ${needed.join(', ')}. Install them once as root: apt-get update && apt-get install -y ${needed.join(' ')}${hint}`);
    process.exit(1);
  }
  console.log(`Installing ${needed.join(', ')} from Debian's packages for ${purpose.toLowerCase()} (once)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...needed], { stdio: 'inherit', env });
  if (missing().length > 0) {
    console.error(`Still missing after apt-get install: ${missing().join(', ')}`);
    process.exit(1);
  }
}
