import ExcelJS from 'exceljs';
import { COLUMNS } from './roster-columns.js';

/** The roster template: the seven headers, a list to choose 科目类别 from, a date format, and a sheet that explains every column. */
export async function importTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('学时登记', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((column) => ({ header: column.header, key: column.field, width: column.field === 'courseTitle' ? 36 : column.field === 'idNumber' || column.field === 'externalId' ? 22 : 14 }));
  sheet.getRow(1).font = { bold: true };
  const letter = (field: string) => String.fromCharCode(65 + COLUMNS.findIndex((c) => c.field === field));
  // Text, not numbers: an 18-digit ID number typed into a number cell loses its last digits.
  sheet.getColumn(letter('idNumber')).numFmt = '@';
  sheet.getColumn(letter('externalId')).numFmt = '@';
  sheet.getColumn(letter('completedOn')).numFmt = 'yyyy-mm-dd';
  for (let row = 2; row <= 5001; row++) {
    sheet.getCell(`${letter('category')}${row}`).dataValidation = {
      type: 'list',
      allowBlank: false,
      formulae: ['"专业科目,一般公需科目,行业公需科目"'],
      showErrorMessage: true,
      errorTitle: '科目类别',
      error: '请从列表中选择：专业科目、一般公需科目或行业公需科目',
    };
    sheet.getCell(`${letter('completedOn')}${row}`).dataValidation = {
      type: 'date',
      operator: 'between',
      allowBlank: false,
      formulae: [new Date(Date.UTC(1990, 0, 1)), new Date(Date.UTC(2100, 0, 1))],
      showErrorMessage: true,
      errorTitle: '完成日期',
      error: '请填写日期，如 2024-05-20',
    };
  }
  const help = workbook.addWorksheet('填写说明');
  help.columns = [
    { header: '列名', key: 'header', width: 14 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '填写说明', key: 'explanation', width: 90 },
  ];
  help.getRow(1).font = { bold: true };
  for (const column of COLUMNS) help.addRow({ header: column.header, required: column.required ? '必填' : '选填', explanation: column.explanation });
  help.addRow({});
  help.addRow({ header: '说明', explanation: '列的顺序不限，按表头文字识别；其他列会被忽略。每行独立处理：有错的行不影响其他行，处理结果可下载，修改后整份重新上传即可（已登记的行不会重复登记）。' });
  help.getColumn('explanation').alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
