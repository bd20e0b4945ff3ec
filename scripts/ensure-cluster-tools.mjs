// The cluster test (npm run test:cluster) needs Galera (galera-4), rsync for its state transfers, MariaDB's
// server and client, and redis-server with redis-cli (cluster mode).
import { existsSync } from 'node:fs';
import { ensurePackages, hasCommand } from './lib/apt-packages.mjs';

ensurePackages('The cluster test', () => [
  ...(existsSync('/usr/lib/galera/libgalera_smm.so') ? [] : ['galera-4']),
  ...(hasCommand('rsync') ? [] : ['rsync']),
  ...(existsSync('/usr/sbin/mariadbd') && hasCommand('mariadb-install-db') ? [] : ['mariadb-server']),
  ...(hasCommand('redis-server') && hasCommand('redis-cli') ? [] : ['redis-server', 'redis-tools']),
]);
