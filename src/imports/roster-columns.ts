import { createHash } from 'node:crypto';
import type { RecordHoursDto } from '../ledger/dto/record-hours.dto.js';
import type { Cell } from './spreadsheet-file.js';

/** The columns of a roster, matched by header text in any order; 记录编号 is optional. */
export const COLUMNS = [
  { header: '记录编号', field: 'externalId', required: false, explanation: '选填。本机构自己的记录编号（字母、数字和 -_.:/，至多 128 个字符）。不填时按该行内容生成，重复上传同一行不会重复登记。' },
  { header: '身份证号', field: 'idNumber', required: true, explanation: '必填。18 位公民身份号码，末位可为 X（大小写均可）；全角字符和前后空格会自动处理。' },
  { header: '姓名', field: 'personName', required: true, explanation: '必填。须与该身份证号已登记的姓名一致。' },
  { header: '科目类别', field: 'category', required: true, explanation: '必填。专业科目、一般公需科目或行业公需科目（也可写“专业”“一般公需”“行业公需”）。' },
  { header: '学时', field: 'hours', required: true, explanation: '必填。大于 0、至多 500 的数，最多一位小数，如 12 或 1.5。' },
  { header: '完成日期', field: 'completedOn', required: true, explanation: '必填。日期单元格，或写作 2024-05-20、2024/5/20、2024.5.20、2024年5月20日；决定学时计入的年度，不能晚于今天。' },
  { header: '课程名称', field: 'courseTitle', required: true, explanation: '必填。至多 200 个字符。' },
] as const;

export type Field = (typeof COLUMNS)[number]['field'];

const CATEGORY_WORDS: Record<string, RecordHoursDto['category']> = {
  专业科目: 'professional',
  专业: 'professional',
  professional: 'professional',
  一般公需科目: 'general_public',
  一般公需: 'general_public',
  general_public: 'general_public',
  行业公需科目: 'industry_public',
  行业公需: 'industry_public',
  industry_public: 'industry_public',
};

/** Full-width letters, digits and punctuation as their ASCII forms, white space trimmed. */
const text = (cell: Cell): string => (cell === null ? '' : cell instanceof Date ? isoDate(cell) : String(cell)).normalize('NFKC').trim();

const isoDate = (date: Date) => date.toISOString().slice(0, 10);
const pad = (value: string) => value.padStart(2, '0');

/** A date cell, an Excel serial number, or text as people type dates. */
export function date(cell: Cell): string {
  if (cell instanceof Date) return isoDate(cell);
  if (typeof cell === 'number' && cell > 20000 && cell < 80000) return isoDate(new Date(Date.UTC(1899, 11, 30) + Math.round(cell) * 86_400_000));
  const value = text(cell);
  const match = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?$/.exec(value);
  return match ? `${match[1]}-${pad(match[2])}-${pad(match[3])}` : value;
}

/** Hours as a number when the cell holds one (a number cell, or text with at most one decimal). */
function hours(cell: Cell): number | string {
  if (typeof cell === 'number') return cell;
  const value = text(cell);
  return /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

/** Where each field's column is, from the header row; and the header texts it does not know. */
export function mapHeaders(cells: Cell[]): { positions: Map<Field, number>; unknown: string[]; missing: string[] } {
  const positions = new Map<Field, number>();
  const unknown: string[] = [];
  cells.forEach((cell, index) => {
    const header = text(cell).replace(/\s+/g, '');
    if (!header) return;
    const column = COLUMNS.find((c) => c.header === header);
    if (column && !positions.has(column.field)) positions.set(column.field, index);
    else unknown.push(header);
  });
  const missing = COLUMNS.filter((c) => c.required && !positions.has(c.field)).map((c) => c.header);
  return { positions, unknown, missing };
}

export const headerOf = (field: string): string => COLUMNS.find((c) => c.field === field)?.header ?? field;

/**
 * One data row as an API entry, normalised the way people type: the same validation as the API then
 * applies. A row without 记录编号 gets `row-` + the SHA-256 of its normalised content, so that the same
 * row uploaded again is the same entry.
 */
export function rowToEntry(cells: Cell[], positions: Map<Field, number>): Record<string, unknown> {
  const at = (field: Field) => cells[positions.get(field) ?? -1] ?? null;
  const entry: Record<string, unknown> = {
    idNumber: text(at('idNumber')).replace(/\s+/g, '').toUpperCase(),
    personName: text(at('personName')),
    category: CATEGORY_WORDS[text(at('category')).replace(/\s+/g, '')] ?? text(at('category')),
    hours: hours(at('hours')),
    completedOn: date(at('completedOn')),
    courseTitle: text(at('courseTitle')),
  };
  const externalId = text(at('externalId'));
  entry.externalId = externalId || `row-${createHash('sha256').update(JSON.stringify(entry)).digest('hex')}`;
  return entry;
}

/** A row with nothing in it is skipped, as a spreadsheet program would show it. */
export const isBlankRow = (cells: Cell[]) => cells.every((cell) => text(cell) === '');
