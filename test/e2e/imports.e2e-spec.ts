import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { checkCharacter } from '../../src/common/id-number.js';
import { bearer, countRows, createProvider, startTestApp, type TestApp } from '../support/test-app.js';
import { testIdNumber } from '../support/id-numbers.js';
import { binaryBody, waitFor } from '../support/wait.js';
import { ImportQueue } from '../../src/imports/import.queue.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbook(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('名单');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}


/** Spreadsheet import: every accepted cell format, every rejection, re-upload, and the report. */
describe('spreadsheet import', () => {
  let test: TestApp;
  let provider: string;
  beforeAll(async () => {
    test = await startTestApp('imports', { SWEEP_INTERVAL_SECONDS: '1', SWEEP_STALE_SECONDS: '2' });
    provider = (await createProvider(test, 'imports-a', '丽水市继续教育培训中心')).apiKey;
  });
  afterAll(() => test.close());

  const upload = (bytes: Buffer, name = 'roster.xlsx', key = provider) => test.http().post('/api/v1/hours/imports').set(bearer(key)).attach('file', bytes, name);
  const finished = (id: string) =>
    waitFor('the import', async () => {
      const status = (await test.http().get(`/api/v1/hours/imports/${id}`).set(bearer(provider)).expect(200)).body;
      return status.status === 'completed' || status.status === 'failed' ? status : undefined;
    }, 30_000, 100);

  const a = testIdNumber(201);
  const b = testIdNumber(202);

  it('reads the template’s headers in any order, and cells the way people type them; bad rows are reported with their row and column', async () => {
    const template = await test.http().get('/api/v1/hours/import-template').set(bearer(provider)).buffer(true).parse(binaryBody as never).expect(200);
    expect(template.headers['content-type']).toBe(XLSX);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template.body);
    expect((book.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual(['记录编号', '身份证号', '姓名', '科目类别', '学时', '完成日期', '课程名称']);
    expect(book.worksheets[0].getCell('D2').dataValidation).toMatchObject({ type: 'list', formulae: ['"专业科目,一般公需科目,行业公需科目"'] });
    expect(book.worksheets[1].name).toBe('填写说明');

    const fullWidth = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    const lowerX = b.replace(/X$/, 'x');
    const bytes = await workbook([
      ['课程名称', '姓名', '身份证号', '学时', '科目类别', '完成日期', '备注'],
      ['建设工程质量管理', '张三', ` ${a} `, 12, '专业科目', new Date(Date.UTC(2024, 4, 20)), '无'],
      ['法治素养', '张三', fullWidth(a), '1.5', '一般公需', '2024/5/21', ''],
      ['行业规范', '李四', lowerX, 6, 'industry_public', '2024年5月22日', ''],
      ['安全生产', '李四', b, 2, '行业公需科目', '2024.5.23', ''],
      [],
      ['错误的身份证号', '王五', `${a.slice(0, 17)}${a[17] === '0' ? '1' : '0'}`, 2, '专业', '2024-05-24', ''],
      ['两位小数', '张三', a, 1.25, '专业', '2024-05-25', ''],
      ['未来的日期', '张三', a, 2, '专业', '2999-01-01', ''],
      ['姓名不符', '王五', a, 2, '专业', '2024-05-26', ''],
      ['未知科目', '张三', a, 2, '体育', '2024-05-27', ''],
    ]);
    const accepted = await upload(bytes).expect(202);
    expect(accepted.body).toMatchObject({ status: 'queued', totalRows: 9, fileName: 'roster.xlsx', warnings: ['未使用的列：备注'] });
    const status = await finished(accepted.body.id);
    expect(status).toMatchObject({ status: 'completed', totalRows: 9, processedRows: 9, created: 4, replayed: 0, rejected: 5 });
    expect(status.errors).toEqual([
      { row: 7, column: '身份证号', message: '身份证号校验码不正确（GB 11643）' },
      { row: 8, column: '学时', message: '学时最多一位小数' },
      { row: 9, column: '完成日期', message: '完成日期不能晚于今天' },
      { row: 10, column: '姓名', message: '姓名与身份证号已登记的姓名不一致' },
      { row: 11, column: '科目类别', message: '科目类别必须是以下之一：professional、general_public、industry_public' },
    ]);
    const ledger = (await test.http().post('/api/v1/hours/lookup').set(bearer(provider)).send({ idNumber: a }).expect(200)).body.items;
    expect(ledger.map((e: { hours: number; completedOn: string; category: string }) => [e.completedOn, e.category, e.hours]).sort()).toEqual([
      ['2024-05-20', 'professional', 12],
      ['2024-05-21', 'general_public', 1.5],
    ]);

    // The same bytes again: the earlier import. A fixed file: its good rows are already there, the fixed ones are new.
    const again = await upload(bytes).expect(200);
    expect(again.body.id).toBe(accepted.body.id);

    const report = await test.http().get(`/api/v1/hours/imports/${accepted.body.id}/report`).set(bearer(provider)).buffer(true).parse(binaryBody as never).expect(200);
    const reportBook = new ExcelJS.Workbook();
    await reportBook.xlsx.load(report.body);
    const sheet = reportBook.worksheets[0];
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['课程名称', '姓名', '身份证号', '学时', '科目类别', '完成日期', '备注', '结果', '说明']);
    expect(sheet.getCell('H2').value).toBe('已记录');
    expect(sheet.getCell('H6').value).toBe('错误');
    expect(sheet.getCell('I6').value).toBe('身份证号：身份证号校验码不正确（GB 11643）');
  });

  it('a GB18030 CSV (as Excel on a Chinese Windows saves it) and a UTF-8 one with BOM; rows already recorded are 已存在', async () => {
    const csv = `身份证号,姓名,科目类别,学时,完成日期,课程名称,记录编号\r\n${a},张三,专业科目,3,2023-03-01,继续教育专题,csv-1\r\n${b},李四,一般公需科目,4,2023-03-02,政策解读,csv-2\r\n`;
    const gb = iconv.encode(csv, 'gb18030');
    expect(gb.toString('utf8')).not.toContain('张三'); // truly not UTF-8
    const first = await upload(gb, 'roster.csv').expect(202);
    expect(await finished(first.body.id)).toMatchObject({ status: 'completed', created: 2, rejected: 0 });
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${csv}${a},张三,专业科目,5,2023-03-03,新课程,csv-3\r\n`)]);
    const second = await upload(utf8, 'roster-utf8.csv').expect(202);
    expect(await finished(second.body.id)).toMatchObject({ status: 'completed', created: 1, replayed: 2, rejected: 0 });
  });

  it.each([
    ['a PNG named .xlsx', () => Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'photo.xlsx', '文件不是 .xlsx 或 .csv 电子表格'],
    ['an encrypted workbook (or an old .xls)', () => Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)]), 'secret.xlsx', '加密的工作簿或旧版 .xls'],
    ['a workbook with macros', async () => {
      const zip = await JSZip.loadAsync(await workbook([['身份证号', '姓名', '科目类别', '学时', '完成日期', '课程名称']]));
      zip.file('xl/vbaProject.bin', Buffer.alloc(64));
      return zip.generateAsync({ type: 'nodebuffer' });
    }, 'macro.xlsm', '含有宏'],
    ['a zip bomb', async () => {
      const zip = await JSZip.loadAsync(await workbook([['身份证号']]));
      zip.file('xl/media/zeros.bin', Buffer.alloc(210 * 1024 * 1024), { compression: 'DEFLATE' });
      return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    }, 'bomb.xlsx', '解压后过大'],
    ['a missing required header', () => workbook([['身份证号', '姓名', '学时', '完成日期', '课程名称'], [a, '张三', 1, '2024-01-01', 'x']]), 'noheader.xlsx', '表头缺少必填列：科目类别'],
    ['more than 100,000 rows', () => Buffer.from(`身份证号,姓名,科目类别,学时,完成日期,课程名称\n${`${a},张三,专业,1,2024-01-02,课\n`.repeat(100_001)}`), 'huge.csv', '数据超过 100000 行'],
    ['more than 20 MB', () => Buffer.alloc(21 * 1024 * 1024, 0x41), 'big.csv', '文件超过 20 MB'],
  ])('refuses %s with a 422 naming why, writing nothing', async (_label, make, name, why) => {
    const before = await Promise.all([countRows(test, 'hour_entries'), test.dataSource.query('SELECT COUNT(*) AS n FROM imports')]);
    const response = await upload(await make(), name).expect(422);
    expect(response.body.errors[0].path).toBe('file');
    expect(response.body.errors[0].message).toContain(why);
    expect(await Promise.all([countRows(test, 'hour_entries'), test.dataSource.query('SELECT COUNT(*) AS n FROM imports')])).toEqual(before);
  }, 60_000);

  it('another provider’s import is 404; only providers import', async () => {
    const mine = (await test.http().get('/api/v1/hours/imports').set(bearer(provider)).expect(200)).body;
    expect(mine.length).toBeGreaterThan(0);
    const other = (await createProvider(test, 'imports-b')).apiKey;
    await test.http().get(`/api/v1/hours/imports/${mine[0].id}`).set(bearer(other)).expect(404);
    await test.http().get(`/api/v1/hours/imports/${mine[0].id}/report`).set(bearer(other)).expect(404);
    await test.http().post('/api/v1/hours/imports').set(bearer(other)).send({}).expect(422);
  });

  it('resumes an interrupted import without recording a row twice (the job lost, swept back)', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => {
      const first17 = `33010219850101${String(i % 900).padStart(3, '0')}`;
      return [first17 + checkCharacter(first17), `学员${i % 900}`, '专业', 1, `2022-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`, `课程${i}`, `resume-${i}`];
    });
    const bytes = await workbook([['身份证号', '姓名', '科目类别', '学时', '完成日期', '课程名称', '记录编号'], ...rows]);
    const accepted = await upload(bytes, 'resume.xlsx').expect(202);
    const status = await finished(accepted.body.id);
    expect(status).toMatchObject({ status: 'completed', totalRows: 2500, created: 2500, rejected: 0 });
    // As if the worker had died after its first step's progress was stored, while the later rows' entries had
    // already reached the ledger: the import reopened at 1,000 rows, its job gone. The sweeper resumes it.
    await test.dataSource.query('DELETE FROM import_rows WHERE import_id = ? AND `row_number` > 1001', [accepted.body.id]);
    await test.dataSource.query(
      "UPDATE imports SET status = 'processing', processed_rows = 1000, created_count = 1000, completed_at = NULL, updated_at = ? WHERE id = ?",
      [new Date(Date.now() - 60_000), accepted.body.id],
    );
    await test.app.get(ImportQueue).queue.remove(accepted.body.id);
    const resumed = await finished(accepted.body.id);
    expect(resumed).toMatchObject({ status: 'completed', processedRows: 2500, created: 1000, replayed: 1500, rejected: 0 });
    const [{ n }] = await test.dataSource.query("SELECT COUNT(*) AS n FROM hour_entries WHERE external_id LIKE 'resume-%'");
    expect(Number(n)).toBe(2500);
  }, 90_000);
});
