import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InvalidRequestError, NotFoundError } from '../common/domain-error.js';
import { newId, UUID_PATTERN } from '../common/ids.js';
import { JsonSchemaPipe } from '../common/json-schema.js';
import { message, renderMessage } from '../common/messages.js';
import { isoTimestamp } from '../common/pagination.js';
import { toXlsx } from '../common/spreadsheet.js';
import { RECORD_HOURS_SCHEMA, type RecordHoursDto } from '../ledger/dto/record-hours.dto.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ImportQueue } from './import.queue.js';
import { COLUMNS, date, headerOf, isBlankRow, mapHeaders, rowToEntry } from './roster-columns.js';
import { type ImportRow, ImportsRepository, type RowResult } from './imports.repository.js';
import { type Cell, detectFormat, readRows, type SpreadsheetFormat } from './spreadsheet-file.js';

export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const MAX_DATA_ROWS = 100_000;
/** Rows recorded together: one multi-row statement each, and how often processedRows moves. */
const STEP_ROWS = 1000;

const entryPipe = new JsonSchemaPipe<RecordHoursDto>(RECORD_HOURS_SCHEMA);
const RESULT_WORDS = { created: '已记录', replayed: '已存在', error: '错误' } as const;

/**
 * Spreadsheet imports: an upload is checked at once (a spreadsheet by its content, the required
 * headers, the limits), stored with its SHA-256 (the same bytes again return the earlier import), and
 * processed by a job: rows read as a stream, normalised the way people type, validated exactly as API
 * entries, recorded 1,000 at a time with the API's idempotency. Bad rows never stop good ones.
 */
@Injectable()
export class ImportsService {
  private readonly logger = new Logger(ImportsService.name);

  constructor(
    private readonly imports: ImportsRepository,
    private readonly ledger: LedgerService,
    private readonly importQueue: ImportQueue,
    private readonly metrics: MetricsService,
  ) {}

  /** 202 with a new import, or (`existing`) the import of the same bytes this provider uploaded before. */
  async upload(providerId: string, fileName: string, bytes: Buffer): Promise<{ existing: boolean; view: ReturnType<ImportsService['view']> }> {
    const sha256 = createHash('sha256').update(bytes).digest();
    const earlier = await this.imports.findByFile(providerId, sha256);
    if (earlier) return { existing: true, view: this.view(earlier, []) };

    const detected = await detectFormat(bytes);
    if ('problem' in detected) throw refused(PROBLEM_MESSAGES[detected.problem]);
    const { totalRows, warnings } = await this.survey(bytes, detected.format);
    const id = newId();
    if (!(await this.imports.insert({ id, providerId, sha256, bytes, fileName, format: detected.format, totalRows, warnings }))) {
      return { existing: true, view: this.view((await this.imports.findByFile(providerId, sha256))!, []) };
    }
    await this.enqueue(id);
    return { existing: false, view: this.view((await this.imports.find(id))!, []) };
  }

  /** Reads the file through once before anything is written: its headers, and its data rows against the limit. */
  private async survey(bytes: Buffer, format: SpreadsheetFormat): Promise<{ totalRows: number; warnings: string[] }> {
    let header: ReturnType<typeof mapHeaders> | null = null;
    let totalRows = 0;
    try {
      for await (const { cells } of readRows(bytes, format)) {
        if (!header) {
          if (isBlankRow(cells)) continue;
          header = mapHeaders(cells);
          if (header.missing.length > 0) throw refused(message('IMPORT.MISSING_HEADERS', { headers: header.missing }));
          continue;
        }
        if (isBlankRow(cells)) continue;
        totalRows += 1;
        if (totalRows > MAX_DATA_ROWS) throw refused(message('IMPORT.TOO_MANY_ROWS', { max: MAX_DATA_ROWS }));
      }
    } catch (error) {
      if (error instanceof InvalidRequestError) throw error;
      throw refused(message('IMPORT.UNREADABLE'));
    }
    if (!header) throw refused(message('IMPORT.MISSING_HEADERS', { headers: COLUMNS.filter((c) => c.required).map((c) => c.header) }));
    if (totalRows === 0) throw refused(message('IMPORT.NO_ROWS'));
    return { totalRows, warnings: header.unknown };
  }

  /** One job per import (jobId = import id); the sweeper re-adds it if Redis loses it. */
  async enqueue(id: string): Promise<void> {
    try {
      await this.importQueue.add(id);
    } catch (error) {
      this.logger.warn(`Could not enqueue import ${id}, the sweeper will: ${(error as Error).message}`);
    }
  }

  /**
   * Processes an import from where it stopped (processedRows): a job run twice, or resumed after a
   * crash, records no row twice (rows are idempotent by externalId, and their results are kept once).
   */
  async process(id: string): Promise<void> {
    const row = await this.imports.find(id);
    if (!row || row.status === 'completed' || row.status === 'failed') return;
    await this.imports.markProcessing(id);
    const bytes = await this.imports.fileBytes(row.fileSha256);
    let header: ReturnType<typeof mapHeaders> | null = null;
    let dataRows = 0;
    let step: { row: number; cells: Cell[] }[] = [];
    const flush = async () => {
      if (step.length === 0) return;
      const results = await this.recordStep(row.providerId, step, header!);
      await this.imports.recordProgress(id, results, dataRows);
      for (const result of results) this.metrics.importRows.inc({ result: result.result });
      step = [];
    };
    for await (const { row: number, cells } of readRows(bytes, row.format)) {
      if (!header) {
        if (!isBlankRow(cells)) header = mapHeaders(cells);
        continue;
      }
      if (isBlankRow(cells)) continue;
      dataRows += 1;
      if (dataRows <= row.processedRows) continue; // done before this run
      step.push({ row: number, cells });
      if (step.length >= STEP_ROWS) await flush();
    }
    await flush();
    await this.imports.finish(id, 'completed');
  }

  /** One step's rows: each validated as an API entry; the valid ones recorded together, each conflict or name clash reported on its row. */
  private async recordStep(providerId: string, rows: { row: number; cells: Cell[] }[], header: ReturnType<typeof mapHeaders>): Promise<RowResult[]> {
    const results: RowResult[] = [];
    let valid: { row: number; entry: RecordHoursDto }[] = [];
    for (const { row, cells } of rows) {
      try {
        valid.push({ row, entry: entryPipe.transform(rowToEntry(cells, header.positions)) });
      } catch (error) {
        if (!(error instanceof InvalidRequestError)) throw error;
        results.push(rowError(row, error.errors?.[0]?.path ?? '', error.errors?.[0] ? renderMessage(error.errors[0].message, 'zh', error.errors[0].path) : '无效'));
      }
    }
    // All or nothing per call: a call refused for some entries is retried without them.
    while (valid.length > 0) {
      try {
        const outcomes = await this.ledger.recordBatch(providerId, valid.map((v) => v.entry));
        outcomes.forEach((outcome, index) => results.push({ row: valid[index].row, result: outcome.status, column: null, message: null, entryId: outcome.id }));
        break;
      } catch (error) {
        if (!(error instanceof InvalidRequestError) || !error.errors?.length) throw error;
        const refusedRows = new Map<number, { path: string; text: string }>();
        for (const problem of error.errors) {
          const match = /^entries\[(\d+)\]\.?(.*)$/.exec(problem.path);
          if (match && !refusedRows.has(Number(match[1]))) refusedRows.set(Number(match[1]), { path: match[2], text: renderMessage(problem.message, 'zh', problem.path) });
        }
        if (refusedRows.size === 0) throw error;
        for (const [index, problem] of refusedRows) results.push(rowError(valid[index].row, problem.path, problem.text));
        valid = valid.filter((_, index) => !refusedRows.has(index));
      }
    }
    return results.sort((a, b) => a.row - b.row);
  }

  async get(providerId: string, id: string) {
    const row = UUID_PATTERN.test(id) ? await this.imports.find(id) : null;
    if (!row || row.providerId !== providerId) throw new NotFoundError('IMPORT.NOT_FOUND', message('IMPORT.NOT_FOUND', { id }));
    return this.view(row, await this.imports.firstErrors(id));
  }

  async list(providerId: string) {
    return (await this.imports.listOf(providerId)).map((row) => this.view(row, null));
  }

  /** Every data row with its cells as uploaded, and 结果 and 说明: fixed in place, the file can go up again. */
  async report(providerId: string, id: string): Promise<{ fileName: string; xlsx: Buffer }> {
    const row = UUID_PATTERN.test(id) ? await this.imports.find(id) : null;
    if (!row || row.providerId !== providerId) throw new NotFoundError('IMPORT.NOT_FOUND', message('IMPORT.NOT_FOUND', { id }));
    const results = await this.imports.results(id);
    let headerCells: string[] | null = null;
    let dateColumn = -1;
    const lines: (string | number | null)[][] = [];
    for await (const { row: number, cells } of readRows(await this.imports.fileBytes(row.fileSha256), row.format)) {
      if (!headerCells) {
        if (!isBlankRow(cells)) {
          headerCells = cells.map((cell) => (cell === null ? '' : cellText(cell)));
          dateColumn = mapHeaders(cells).positions.get('completedOn') ?? -1;
        }
        continue;
      }
      if (isBlankRow(cells)) continue;
      const result = results.get(number);
      // A date cell is its serial number in the file: shown as the date it is.
      const padded = headerCells.map((_, index) => (cells[index] === undefined || cells[index] === null ? null : index === dateColumn ? date(cells[index]) : cellText(cells[index])));
      lines.push([...padded, result ? RESULT_WORDS[result.result] : '未处理', result?.message ? `${result.column ? `${result.column}：` : ''}${result.message}` : '']);
    }
    return { fileName: row.fileName.replace(/\.[^.]+$/, ''), xlsx: await toXlsx('处理结果', [...(headerCells ?? []), '结果', '说明'], lines) };
  }

  view(row: ImportRow, errors: RowResult[] | null) {
    return {
      id: row.id,
      fileName: row.fileName,
      status: row.status,
      totalRows: row.totalRows,
      processedRows: row.processedRows,
      created: row.created,
      replayed: row.replayed,
      rejected: row.rejected,
      ...(errors ? { errors: errors.map((e) => ({ row: e.row, column: e.column, message: e.message })) } : {}),
      warnings: (JSON.parse(row.warnings) as string[]).map((header) => `未使用的列：${header}`),
      ...(row.failureReason ? { failureReason: row.failureReason } : {}),
      createdAt: isoTimestamp(row.createdAt),
      ...(row.completedAt ? { completedAt: isoTimestamp(row.completedAt) } : {}),
    };
  }
}

/** Cells in the report as the provider typed them (dates as dates people read). */
const cellText = (cell: Cell): string => (cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell));

const rowError = (row: number, path: string, text: string): RowResult => ({ row, result: 'error', column: path ? headerOf(path) : null, message: text, entryId: null });

const PROBLEM_MESSAGES = {
  not_spreadsheet: message('IMPORT.NOT_SPREADSHEET'),
  encrypted_or_xls: message('IMPORT.ENCRYPTED'),
  macro: message('IMPORT.MACRO'),
  too_large_uncompressed: message('IMPORT.ZIP_BOMB'),
} as const;

const refused = (detail: ReturnType<typeof message>) => new InvalidRequestError([{ path: 'file', message: detail }], detail);

