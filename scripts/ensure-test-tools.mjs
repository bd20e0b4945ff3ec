// Makes sure the browser tests can start Debian's Chromium (and that it has a CJK font, so that
// screenshots show the Chinese pages as people see them), that the PDF tests have poppler's
// pdftotext and pdftoppm (to read a PDF's text back and render its pages), and that the backup test
// has mariabackup (Debian's mariadb-backup, the runbook's backup tool). Run by `npm test` first.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ensurePackages, hasCommand } from './lib/apt-packages.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasCjkFont = () => spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).stdout?.trim().length > 0;

ensurePackages(
  'The browser, PDF and backup tests',
  () => [
    ...(existsSync(CHROMIUM) ? [] : ['chromium']),
    ...(hasCjkFont() ? [] : ['fonts-wqy-microhei']),
    ...(hasCommand('pdftotext') && hasCommand('pdftoppm') ? [] : ['poppler-utils']),
    ...(hasCommand('mariabackup') ? [] : ['mariadb-backup']),
  ],
  `\nor point CHROMIUM_PATH at a Chromium you have (now ${CHROMIUM}).`,
);
