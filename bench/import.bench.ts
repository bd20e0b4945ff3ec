import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchApp, postJson, startBenchApp } from './lib/bench-app.js';
import { printTable, round, runIfMain, writeResult } from './lib/report.js';
import { benchIdNumber } from './lib/seed.js';

/**
 * A roster of N rows as .xlsx, from upload to completed, against posting the same entries through
 * POST /api/v1/hours/batch (5,000 a request, 2 at a time) in the same run; and the service process's
 * peak memory for each size, which must not grow with the file. `npm run bench:import`; BENCH_IMPORT_ROWS
 * (10000,100000).
 */
const PERSONS = 5000;

const entryOf = (i: number, tag: string) => ({
  externalId: `${tag}-${i}`,
  idNumber: benchIdNumber(i % PERSONS),
  personName: '测试',
  category: i % 3 === 0 ? 'general_public' : 'professional',
  hours: 1.5,
  completedOn: `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
  courseTitle: `专业技术课程 ${i % 50}`,
});

/** The roster written by exceljs's streaming writer: memory flat however many rows. */
async function writeRoster(rows: number, tag: string): Promise<Buffer> {
  const directory = mkdtempSync(join(tmpdir(), 'bench-import-'));
  const file = join(directory, 'roster.xlsx');
  try {
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
    const sheet = book.addWorksheet('学时登记');
    sheet.addRow(['记录编号', '身份证号', '姓名', '科目类别', '学时', '完成日期', '课程名称']).commit();
    for (let i = 0; i < rows; i++) {
      const e = entryOf(i, tag);
      sheet.addRow([e.externalId, e.idNumber, e.personName, e.category === 'professional' ? '专业科目' : '一般公需科目', e.hours, e.completedOn, e.courseTitle]).commit();
    }
    await book.commit();
    return readFileSync(file);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function importOnce(bench: BenchApp, key: string, bytes: Buffer) {
  const started = process.hrtime.bigint();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'roster.xlsx');
  const accepted = await fetch(`${bench.url}/api/v1/hours/imports`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form }).then((r) => r.json());
  for (;;) {
    const status = await fetch(`${bench.url}/api/v1/hours/imports/${accepted.id}`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.json());
    if (status.status === 'completed' || status.status === 'failed') {
      if (status.status === 'failed' || status.created !== status.totalRows) throw new Error(`import ${status.status}: ${JSON.stringify(status).slice(0, 300)}`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function batchOnce(bench: BenchApp, key: string, rows: number, tag: string) {
  const started = process.hrtime.bigint();
  const batches = Math.ceil(rows / 5000);
  let next = 0;
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (next < batches) {
        const index = next++;
        await postJson(`${bench.url}/api/v1/hours/batch`, key, { entries: Array.from({ length: Math.min(5000, rows - index * 5000) }, (_, i) => entryOf(index * 5000 + i, tag)) });
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export async function measureImport(rows: number) {
  const bench = await startBenchApp(`import${rows}`);
  try {
    const importer = await bench.admin('/api/v1/admin/providers', { code: 'bench-import', name: '导入' });
    const poster = await bench.admin('/api/v1/admin/providers', { code: 'bench-batch', name: '接口' });
    const bytes = await writeRoster(rows, 'xlsx');
    // Every person exists first for both, so that neither pays for creating them.
    await batchOnce(bench, poster.apiKey, PERSONS, 'warm');
    const before = bench.peakRssMb();
    const importSeconds = await importOnce(bench, importer.apiKey, bytes);
    const afterImport = bench.peakRssMb(); // the import's own peak: the batch API (5,000-entry JSON bodies) comes after
    const batchSeconds = await batchOnce(bench, poster.apiKey, rows, 'api');
    return {
      rows,
      fileMb: round(bytes.length / 1024 / 1024, 1),
      import: { seconds: round(importSeconds, 2), rowsPerSecond: round(rows / importSeconds) },
      batch: { seconds: round(batchSeconds, 2), entriesPerSecond: round(rows / batchSeconds) },
      ratio: round(batchSeconds / importSeconds, 2),
      servicePeakRssMb: { beforeImport: round(before), afterImport: round(afterImport) },
    };
  } finally {
    await bench.close();
  }
}

async function main() {
  const sizes = (process.env.BENCH_IMPORT_ROWS ?? '10000,100000').split(',').map(Number);
  const results = [];
  for (const rows of sizes) results.push(await measureImport(rows));
  printTable('Spreadsheet import (.xlsx) against the batch API, same entries', results.map((r) => ({
    rows: r.rows,
    'file MB': r.fileMb,
    'import rows/s': r.import.rowsPerSecond,
    'batch API entries/s': r.batch.entriesPerSecond,
    ratio: r.ratio,
    'service peak RSS MB before → after import': `${r.servicePeakRssMb.beforeImport} → ${r.servicePeakRssMb.afterImport}`,
  })));
  console.log(`results: ${writeResult('import', { results, targets: { ratio: 0.5 } })}`);
}

runIfMain(import.meta.url, main);
