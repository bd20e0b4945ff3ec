// The cluster test (npm run test:cluster) needs Galera (galera-4), rsync for its state transfers, MariaDB's
// server and client, and redis-server with redis-cli (cluster mode). As root with apt-get it installs
// what is missing; otherwise it says how and exits non-zero.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
const missing = () => [
  ...(existsSync('/usr/lib/galera/libgalera_smm.so') ? [] : ['galera-4']),
  ...(hasCommand('rsync') ? [] : ['rsync']),
  ...(existsSync('/usr/sbin/mariadbd') && hasCommand('mariadb-install-db') ? [] : ['mariadb-server']),
  ...(hasCommand('redis-server') && hasCommand('redis-cli') ? [] : ['redis-server', 'redis-tools']),
];

const needed = missing();
if (needed.length === 0) process.exit(0);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !hasCommand('apt-get')) {
  console.error(`The cluster test needs ${needed.join(', ')}. Install them once as root: apt-get update && apt-get install -y ${needed.join(' ')}`);
  process.exit(1);
}
console.log(`Installing ${needed.join(', ')} from Debian's packages for the cluster test (once)…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...needed], { stdio: 'inherit', env });
if (missing().length > 0) {
  console.error(`Still missing after apt-get install: ${missing().join(', ')}`);
  process.exit(1);
}
