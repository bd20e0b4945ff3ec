// Adds to package-lock.json the platform-specific optional packages that `npm install` left out
// because this machine's registry does not serve them (e.g. @unrs/resolver-binding-darwin-arm64).
// `npm ci` insists that every optional dependency has a lock entry; it skips those whose os/cpu do
// not match, so an entry with version, os and cpu is all it needs. Run after changing dependencies:
//   node .ci/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM = /-(android|darwin|freebsd|linux|openharmony|win32)-(arm64|arm|x64|ia32|loong64|ppc64|riscv64|s390x)(-(gnu|musl|gnueabihf|musleabihf|eabi|msvc))?$/;
const lockPath = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
let added = 0;

for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${name}`;
    const match = PLATFORM.exec(name);
    if (lock.packages[target] || lock.packages[`${path}/${target}`] || !match) continue;
    const [, os, cpu, , abi] = match;
    lock.packages[target] = {
      version,
      cpu: [cpu],
      ...(entry.dev ? { dev: true } : {}),
      ...(abi === 'gnu' || abi === 'gnueabihf' ? { libc: ['glibc'] } : abi?.startsWith('musl') ? { libc: ['musl'] } : {}),
      optional: true,
      os: [os],
    };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform-specific optional package(s)`);
