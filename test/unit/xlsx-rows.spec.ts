import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readXlsxRows } from '../../src/imports/xlsx-rows.js';

/** The streaming .xlsx reader keeps every Chinese character whole, wherever the inflated chunks split. */
describe('reading .xlsx rows as a stream', () => {
  it.each([false, true])('10,000 rows of Chinese text (shared strings: %s) come back exactly', async (useSharedStrings) => {
    const directory = mkdtempSync(join(tmpdir(), 'xlsx-rows-'));
    try {
      const file = join(directory, 'roster.xlsx');
      const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings });
      const sheet = book.addWorksheet('学时登记');
      sheet.addRow(['序号', '科目类别', '课程名称', '学时', '完成日期']).commit();
      const category = (i: number) => (i % 3 === 0 ? '一般公需科目' : '专业科目');
      for (let i = 0; i < 10_000; i++) sheet.addRow([i, category(i), `建设工程质量管理专题 ${i}`, 1.5, new Date(Date.UTC(2024, 4, 20))]).commit();
      await book.commit();
      let seen = 0;
      for await (const { row, cells } of readXlsxRows(readFileSync(file))) {
        if (row === 1) {
          expect(cells).toEqual(['序号', '科目类别', '课程名称', '学时', '完成日期']);
          continue;
        }
        const i = row - 2;
        expect(cells).toEqual([i, category(i), `建设工程质量管理专题 ${i}`, 1.5, 45432]); // a date cell is its Excel serial
        seen += 1;
      }
      expect(seen).toBe(10_000);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }, 60_000);
});
