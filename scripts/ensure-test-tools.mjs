// Makes sure the browser tests can start Debian's Chromium (and that it has a CJK font, so that
// screenshots show the Chinese pages as people see them), and that the PDF tests have poppler's
// pdftotext and pdftoppm (to read a PDF's text back and render its pages), and that the backup test
// has mariabackup (Debian's mariadb-backup, the runbook's backup tool). Run by `npm test` first.
// As root with apt-get it installs what is missing; otherwise it says how and exits non-zero.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PACKAGES = ['chromium', 'fonts-wqy-microhei', 'poppler-utils', 'mariadb-backup'];
const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

const hasCjkFont = () => spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).stdout?.trim().length > 0;
const missing = () => [
  ...(existsSync(CHROMIUM) ? [] : ['chromium']),
  ...(hasCjkFont() ? [] : ['fonts-wqy-microhei']),
  ...(hasCommand('pdftotext') && hasCommand('pdftoppm') ? [] : ['poppler-utils']),
  ...(hasCommand('mariabackup') ? [] : ['mariadb-backup']),
];

const needed = missing();
if (needed.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = hasCommand('apt-get');
if (!isRoot || !hasApt) {
  console.error(
    `The browser, PDF and backup tests need ${needed.join(', ')} (not found${process.env.CHROMIUM_PATH ? ` at CHROMIUM_PATH=${CHROMIUM}` : ` at ${CHROMIUM}`}).\n` +
      `Install them once as root: apt-get update && apt-get install -y ${PACKAGES.join(' ')}\n` +
      'or point CHROMIUM_PATH at a Chromium you have.',
  );
  process.exit(1);
}

console.log(`Installing ${needed.join(', ')} from Debian's packages for the tests (once)…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...needed], { stdio: 'inherit', env });
if (missing().length > 0) {
  console.error(`Still missing after apt-get install: ${missing().join(', ')}`);
  process.exit(1);
}
