import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { readXlsxRows } from './xlsx-rows.js';

/**
 * What an uploaded file is, by its content (never its name), and its rows as an async stream:
 * .xlsx through a streaming SAX reader (xlsx-rows.ts), .csv through csv-parse, in UTF-8 (with or without BOM) or
 * GB18030 as Excel on a Chinese Windows saves it (detected: a file that is not valid UTF-8 is GB18030).
 */
export type SpreadsheetFormat = 'xlsx' | 'csv';

/** Why a file cannot be read as a roster: a message key for the 422. */
export type FileProblem = 'not_spreadsheet' | 'encrypted_or_xls' | 'macro' | 'too_large_uncompressed';

/** An .xlsx (a zip) may hold at most this much once unpacked: a zip bomb is refused before it is read. */
const MAX_UNCOMPRESSED = 200 * 1024 * 1024;
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export async function detectFormat(bytes: Buffer): Promise<{ format: SpreadsheetFormat } | { problem: FileProblem }> {
  if (bytes.subarray(0, 8).equals(OLE)) return { problem: 'encrypted_or_xls' };
  if (bytes.subarray(0, 4).equals(ZIP)) {
    const entries = await zipEntries(bytes).catch(() => null);
    if (!entries || !entries.some((entry) => entry.name === 'xl/workbook.xml')) return { problem: 'not_spreadsheet' };
    if (entries.some((entry) => /vbaProject\.bin$/i.test(entry.name))) return { problem: 'macro' };
    if (entries.reduce((total, entry) => total + entry.size, 0) > MAX_UNCOMPRESSED) return { problem: 'too_large_uncompressed' };
    return { format: 'xlsx' };
  }
  // Text: no NUL bytes (UTF-16 and binary files have them).
  if (bytes.length === 0 || bytes.includes(0)) return { problem: 'not_spreadsheet' };
  return { format: 'csv' };
}

/** The zip's central directory: names and uncompressed sizes, read without unpacking anything. */
function zipEntries(bytes: Buffer): Promise<{ name: string; size: number }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries: { name: string; size: number }[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({ name: entry.fileName, size: entry.uncompressedSize });
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** UTF-8 when it decodes as UTF-8 (a BOM is dropped), GB18030 otherwise. */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

export type Cell = string | number | boolean | Date | null;

/** The rows of the first worksheet (or the CSV), each with the row number a spreadsheet program shows. */
export async function* readRows(bytes: Buffer, format: SpreadsheetFormat): AsyncGenerator<{ row: number; cells: Cell[] }> {
  if (format === 'csv') {
    let row = 0;
    for await (const record of Readable.from([decodeText(bytes)]).pipe(parse({ relax_column_count: true, skip_empty_lines: false, bom: true }))) {
      row += 1;
      yield { row, cells: (record as string[]).map((cell) => cell) };
    }
    return;
  }
  yield* readXlsxRows(bytes);
}
