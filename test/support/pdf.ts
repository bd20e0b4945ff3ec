import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

const run = promisify(execFile);
// jsqr is CommonJS: under native ESM its function is the default export's `default`.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as typeof import('jsqr').default;

/** The PDF's text as poppler's pdftotext reads it (through the fonts' ToUnicode maps: what a copy-paste gives). */
export async function pdfText(pdf: Buffer): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), 'pdf-text-'));
  try {
    writeFileSync(join(directory, 'in.pdf'), pdf);
    await run('pdftotext', ['-layout', join(directory, 'in.pdf'), join(directory, 'out.txt')]);
    return readFileSync(join(directory, 'out.txt'), 'utf8');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Page 1 rendered to PNG by pdftoppm (also kept under test/artifacts/ to look at), and the QR code read from it. */
export async function renderFirstPage(pdf: Buffer, artifact: string): Promise<{ png: Buffer; qr: string | null }> {
  const directory = mkdtempSync(join(tmpdir(), 'pdf-page-'));
  try {
    writeFileSync(join(directory, 'in.pdf'), pdf);
    await run('pdftoppm', ['-png', '-r', '110', '-f', '1', '-l', '1', join(directory, 'in.pdf'), join(directory, 'page')]);
    const file = readdirSync(directory).find((name) => name.startsWith('page') && name.endsWith('.png'))!;
    const png = readFileSync(join(directory, file));
    mkdirSync(join(process.cwd(), 'test', 'artifacts'), { recursive: true });
    writeFileSync(join(process.cwd(), 'test', 'artifacts', artifact), png);
    const image = PNG.sync.read(png);
    const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
    return { png, qr: code?.data ?? null };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
