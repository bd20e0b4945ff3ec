import { SaxesParser } from 'saxes';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/**
 * The rows of an .xlsx's first worksheet, streamed: the worksheet XML is inflated and parsed as it
 * comes (SAX), so memory holds one row at a time plus the shared strings. Written here rather than
 * taken from exceljs's streaming reader, which decodes each inflated chunk on its own and so breaks a
 * Chinese character that straddles two chunks (seen: 专业科目 read as 专业科���).
 * Values: shared and inline strings as text, numbers as numbers (a date cell is its Excel serial
 * number, which the roster reader turns into a date), booleans as booleans.
 */
export type XlsxCell = string | number | boolean | null;

function openZip(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => (error || !zip ? reject(error) : resolve(zip))));
}

/** Every entry's stream, by name, read on demand. */
async function entries(bytes: Buffer): Promise<Map<string, () => Promise<Readable>>> {
  const zip = await openZip(bytes);
  const found = new Map<string, () => Promise<Readable>>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      found.set(entry.fileName, () => new Promise((ok, fail) => zip.openReadStream(entry, (error, stream) => (error || !stream ? fail(error) : ok(stream)))));
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return found;
}

/** Feeds a stream to a SAX parser through a StringDecoder (which keeps a split character for the next chunk). */
async function* saxEvents(stream: Readable): AsyncGenerator<{ type: 'open'; name: string; attributes: Record<string, string> } | { type: 'text'; text: string } | { type: 'close'; name: string }> {
  const parser = new SaxesParser();
  const decoder = new StringDecoder('utf8');
  let events: ({ type: 'open'; name: string; attributes: Record<string, string> } | { type: 'text'; text: string } | { type: 'close'; name: string })[] = [];
  let failure: Error | null = null;
  parser.on('opentag', (tag) => events.push({ type: 'open', name: tag.name, attributes: tag.attributes as Record<string, string> }));
  parser.on('text', (text) => events.push({ type: 'text', text }));
  parser.on('closetag', (tag) => events.push({ type: 'close', name: tag.name }));
  parser.on('error', (error) => (failure = error));
  for await (const chunk of stream) {
    parser.write(decoder.write(chunk as Buffer));
    if (failure) throw failure;
    yield* events;
    events = [];
  }
  parser.write(decoder.end());
  parser.close();
  if (failure) throw failure;
  yield* events;
}

async function sharedStrings(open: (() => Promise<Readable>) | undefined): Promise<string[]> {
  if (!open) return [];
  const strings: string[] = [];
  let current: string[] | null = null;
  let inText = false;
  for await (const event of saxEvents(await open())) {
    if (event.type === 'open' && event.name === 'si') current = [];
    else if (event.type === 'open' && event.name === 't') inText = true;
    else if (event.type === 'close' && event.name === 't') inText = false;
    else if (event.type === 'text' && inText && current) current.push(event.text);
    else if (event.type === 'close' && event.name === 'si' && current) {
      strings.push(current.join(''));
      current = null;
    }
  }
  return strings;
}

/** The path of the workbook's first sheet, from workbook.xml and its relationships. */
async function firstSheetPath(files: Map<string, () => Promise<Readable>>): Promise<string> {
  let firstId: string | null = null;
  for await (const event of saxEvents(await files.get('xl/workbook.xml')!())) {
    if (event.type === 'open' && event.name === 'sheet' && !firstId) firstId = event.attributes['r:id'] ?? null;
  }
  const rels = files.get('xl/_rels/workbook.xml.rels');
  if (firstId && rels) {
    for await (const event of saxEvents(await rels())) {
      if (event.type === 'open' && event.name === 'Relationship' && event.attributes.Id === firstId) {
        const target = event.attributes.Target.replace(/^\//, '');
        return target.startsWith('xl/') ? target : `xl/${target}`;
      }
    }
  }
  return 'xl/worksheets/sheet1.xml';
}

/** Column letters of a cell reference → zero-based index: `C7` → 2. */
const columnIndex = (reference: string) => [...reference.replace(/\d+$/, '')].reduce((index, letter) => index * 26 + letter.charCodeAt(0) - 64, 0) - 1;

export async function* readXlsxRows(bytes: Buffer): AsyncGenerator<{ row: number; cells: XlsxCell[] }> {
  const files = await entries(bytes);
  const strings = await sharedStrings(files.get('xl/sharedStrings.xml'));
  const sheet = files.get(await firstSheetPath(files));
  if (!sheet) return;
  let row: { number: number; cells: XlsxCell[] } | null = null;
  let cell: { index: number; type: string; text: string[] } | null = null;
  let collecting = false;
  let lastRow = 0;
  for await (const event of saxEvents(await sheet())) {
    if (event.type === 'open') {
      if (event.name === 'row') {
        lastRow = event.attributes.r ? Number(event.attributes.r) : lastRow + 1;
        row = { number: lastRow, cells: [] };
      } else if (event.name === 'c' && row) {
        cell = { index: event.attributes.r ? columnIndex(event.attributes.r) : row.cells.length, type: event.attributes.t ?? 'n', text: [] };
      } else if ((event.name === 'v' || event.name === 't') && cell) collecting = true;
    } else if (event.type === 'text') {
      if (collecting && cell) cell.text.push(event.text);
    } else if (event.name === 'v' || event.name === 't') collecting = false;
    else if (event.name === 'c' && cell && row) {
      const text = cell.text.join('');
      row.cells[cell.index] =
        cell.type === 's' ? (strings[Number(text)] ?? '') : cell.type === 'inlineStr' || cell.type === 'str' ? text : cell.type === 'b' ? text === '1' : text === '' ? null : Number(text);
      cell = null;
    } else if (event.name === 'row' && row) {
      yield { row: row.number, cells: Array.from({ length: row.cells.length }, (_, i) => row!.cells[i] ?? null) };
      row = null;
    }
  }
}
