import ExcelJS from 'exceljs';

/**
 * Everything the service writes as CSV or .xlsx goes through here, so that no cell a spreadsheet
 * program opens can run as a formula: a text cell whose first visible character is `=`, `+`, `-`
 * or `@` (after any white space or zero-width characters a program may skip), or that starts with
 * a tab or carriage return, is written with a leading `'`.
 */
const FORMULA_START = /^[\s\u200B-\u200D\u2060\uFEFF]*[=+\-@]|^[\t\r]/;

export type Cell = string | number | null;

export const neutralizeFormula = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

const safeCell = (cell: Cell): string | number => (typeof cell === 'number' ? cell : neutralizeFormula(cell ?? ''));

/** RFC 4180 CSV, UTF-8 with a BOM (so that Excel on Chinese Windows reads it), CRLF line ends. */
export function toCsv(header: string[], rows: Cell[][]): string {
  const field = (cell: Cell) => {
    const text = String(safeCell(cell));
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `\uFEFF${[header, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}

/** One worksheet with a bold, frozen header row and columns sized to their content. */
export async function toXlsx(sheetName: string, header: string[], rows: Cell[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(header).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map(safeCell));
  sheet.columns.forEach((column, index) => {
    const widest = Math.max(...[header, ...rows].map((row) => displayWidth(String(row[index] ?? ''))));
    column.width = Math.min(Math.max(widest + 2, 8), 60);
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** CJK characters take two columns in a spreadsheet. */
const displayWidth = (text: string) => [...text].reduce((width, char) => width + (char.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `attachment; filename="…"; filename*=UTF-8''…`: an ASCII fallback and the real (possibly Chinese) name. */
export const attachment = (asciiName: string, name = asciiName): string => `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`;
