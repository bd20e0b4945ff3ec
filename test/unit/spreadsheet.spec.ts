import ExcelJS from 'exceljs';
import { neutralizeFormula, toCsv, toXlsx } from '../../src/common/spreadsheet.js';

describe('spreadsheets the service writes', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+86 123', "'+86 123"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    [' =cmd|x', "' =cmd|x"],
    ['\n=1', "'\n=1"],
    ['\u200B=HYPERLINK("x")', '\'\u200B=HYPERLINK("x")'],
    ['张三', '张三'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralizes %j', (input, expected) => {
    expect(neutralizeFormula(input)).toBe(expected);
  });

  it('writes CSV with a BOM, quotes what needs quoting, numbers as they are', () => {
    expect(toCsv(['序号', '说明'], [[1, '=x, "y"'], [-2, null]])).toBe('\uFEFF序号,说明\r\n1,"\'=x, ""y"""\r\n-2,\r\n');
  });

  it('writes .xlsx whose text cells cannot be formulas', async () => {
    const buffer = await toXlsx('名单', ['序号', '姓名'], [[1, '=1+2'], [2, '李四']]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as never);
    const sheet = workbook.getWorksheet('名单')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '序号', '姓名']);
    expect(sheet.getCell('A2').value).toBe(1);
    expect(sheet.getCell('B2').value).toBe("'=1+2");
    expect(sheet.getCell('B2').formula).toBeUndefined();
    expect(sheet.getCell('B3').value).toBe('李四');
  });
});
