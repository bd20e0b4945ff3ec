import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

/**
 * The printed documents: A4, in Chinese, with Noto Sans SC (from the @expo-google-fonts/noto-sans-sc
 * package, installed by npm) embedded as a subset of the glyphs used, so that the text copies out as
 * Chinese and the file stays small; a QR code of the verification URL on every document.
 */
const FONT = readFileSync(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'));
const FONT_BOLD = readFileSync(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'));

const MARGIN = 50;
const CATEGORY_NAMES: Record<string, string> = { professional: '专业科目', general_public: '一般公需科目', industry_public: '行业公需科目' };

export interface PrintedYear {
  year: number;
  professional: number;
  generalPublic: number;
  industryPublic: number;
  total: number;
}

export interface PrintedEntry {
  completedOn: string;
  courseTitle: string;
  provider: string;
  category: string;
  hours: number;
  /** A reversing entry (冲销), or an entry that was reversed. */
  reversal: boolean;
  reversed: boolean;
}

export interface HoursCertificatePrint {
  name: string;
  idNumberMasked: string;
  fromYear: number;
  toYear: number;
  years: PrintedYear[];
  entries: PrintedEntry[];
  issuer: string;
  issuedAt: Date;
  verifyCode: string;
  verifyUrl: string;
}

export interface CertificationPrint {
  name: string;
  idNumberMasked: string;
  request: string;
  outcome: string;
  summary: string;
  checks: { name: string; passed: boolean; detail: string }[];
  ruleSet: string;
  issuer: string;
  completedAt: Date;
  verifyCode: string;
  verifyUrl: string;
}

/** A date and time as people in China read it: 2026年11月29日 18:30. */
export function chinaTime(date: Date): string {
  const parts = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}年${part('month')}月${part('day')}日 ${part('hour')}:${part('minute')}`;
}

function newDocument(title: string): PDFKit.PDFDocument {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: title, Producer: 'ce-ledger', Creator: 'ce-ledger' }, pdfVersion: '1.7' });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  return doc.font('body');
}

function toBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** A table with a header row; rows continue on a new page (header repeated) when the page is full. */
function table(doc: PDFKit.PDFDocument, columns: { title: string; width: number; align?: 'left' | 'right' | 'center' }[], rows: string[][], fontSize = 9.5) {
  const padding = 4;
  const drawRow = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'bold' : 'body').fontSize(fontSize);
    const height = Math.max(...cells.map((cell, i) => doc.heightOfString(cell, { width: columns[i].width - 2 * padding }))) + 2 * padding;
    if (doc.y + height > doc.page.height - MARGIN) {
      doc.addPage();
      if (!bold) drawRow(columns.map((c) => c.title), true);
    }
    const top = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.rect(x, top, columns[i].width, height).lineWidth(0.5).strokeColor('#777777').stroke();
      doc.fillColor('#111111').text(cell, x + padding, top + padding, { width: columns[i].width - 2 * padding, align: columns[i].align ?? 'left' });
      x += columns[i].width;
    });
    doc.x = MARGIN;
    doc.y = top + height;
  };
  drawRow(columns.map((c) => c.title), true);
  for (const row of rows) drawRow(row, false);
  doc.font('body');
}

/** The issuer, the time, the verification code and its QR code, kept together at the end. */
async function verificationBlock(doc: PDFKit.PDFDocument, lines: string[], verifyUrl: string) {
  const qr = await QRCode.toBuffer(verifyUrl, { errorCorrectionLevel: 'M', margin: 1, scale: 6 });
  const size = 110;
  if (doc.y + size + 20 > doc.page.height - MARGIN) doc.addPage();
  const top = doc.y + 14;
  doc.image(qr, doc.page.width - MARGIN - size, top, { width: size, height: size });
  doc.font('body').fontSize(10.5).fillColor('#111111');
  doc.y = top;
  for (const line of lines) doc.text(line, MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN - size - 16 });
  doc.moveDown(0.4).fontSize(8.5).fillColor('#444444');
  doc.text(`扫描右侧二维码或访问 ${verifyUrl} 核验本文件的真实性，以及其内容在出具后是否已有变动。`, MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN - size - 16 });
  doc.fillColor('#111111');
  doc.y = Math.max(doc.y, top + size);
}

const hours = (value: number) => String(Math.round(value * 10) / 10);

export async function renderHoursCertificate(print: HoursCertificatePrint): Promise<Buffer> {
  const doc = newDocument('继续教育学时证明');
  const width = doc.page.width - 2 * MARGIN;
  doc.font('bold').fontSize(20).text('继续教育学时证明', MARGIN, MARGIN, { width, align: 'center' });
  doc.moveDown(0.8).font('body').fontSize(11);
  doc.text(`姓名：${print.name || '（未登记）'}        身份证号：${print.idNumberMasked}`);
  doc.text(`证明年度：${print.fromYear === print.toYear ? `${print.fromYear}年` : `${print.fromYear}—${print.toYear}年`}`);
  doc.moveDown(0.3).fontSize(10).text('经查询继续教育学时账本，该同志在上述年度取得的继续教育学时如下（单位：学时）：');
  doc.moveDown(0.5);

  const sum = (key: keyof Omit<PrintedYear, 'year'>) => print.years.reduce((total, year) => total + year[key], 0);
  table(
    doc,
    [
      { title: '年度', width: 75, align: 'center' },
      { title: '专业科目', width: 105, align: 'right' },
      { title: '一般公需科目', width: 105, align: 'right' },
      { title: '行业公需科目', width: 105, align: 'right' },
      { title: '合计', width: width - 390, align: 'right' },
    ],
    [
      ...print.years.map((y) => [`${y.year}年`, hours(y.professional), hours(y.generalPublic), hours(y.industryPublic), hours(y.total)]),
      ['总计', hours(sum('professional')), hours(sum('generalPublic')), hours(sum('industryPublic')), hours(sum('total'))],
    ],
    10.5,
  );

  doc.moveDown(1).font('bold').fontSize(12).text('学时明细', MARGIN);
  doc.moveDown(0.3);
  if (print.entries.length === 0) doc.font('body').fontSize(10).text('上述年度无学时记录。');
  else {
    table(
      doc,
      [
        { title: '完成日期', width: 70 },
        { title: '课程 / 活动', width: 175 },
        { title: '培训机构', width: 125 },
        { title: '科目', width: 70 },
        { title: '学时', width: width - 440, align: 'right' },
      ],
      print.entries.map((e) => [
        e.completedOn,
        e.reversal ? `【冲销】${e.courseTitle}` : e.reversed ? `${e.courseTitle}（已冲销）` : e.courseTitle,
        e.provider,
        CATEGORY_NAMES[e.category] ?? e.category,
        hours(e.hours),
      ]),
    );
    doc.moveDown(0.3).fontSize(8.5).fillColor('#444444').text('注：冲销为培训机构对已登记学时的更正，冲销记录与被冲销记录相抵，合计中已扣除。').fillColor('#111111');
  }
  await verificationBlock(doc, [`出具机构：${print.issuer}`, `出具时间：${chinaTime(print.issuedAt)}`, `核验码：${print.verifyCode}`], print.verifyUrl);
  return toBuffer(doc);
}

export async function renderCertificationResult(print: CertificationPrint): Promise<Buffer> {
  const doc = newDocument('资格审查结果');
  const width = doc.page.width - 2 * MARGIN;
  doc.font('bold').fontSize(20).text('继续教育学时资格审查结果', MARGIN, MARGIN, { width, align: 'center' });
  doc.moveDown(0.8).font('body').fontSize(11);
  doc.text(`姓名：${print.name || '（未登记）'}        身份证号：${print.idNumberMasked}`);
  doc.text(`申报：${print.request}`);
  doc.text(`依据：${print.ruleSet}`);
  doc.moveDown(0.5).font('bold').fontSize(13).text(`结论：${print.outcome}`);
  doc.moveDown(0.3).font('body').fontSize(11).text(print.summary, { width });
  doc.moveDown(0.8);
  if (print.checks.length > 0) {
    table(
      doc,
      [
        { title: '审查项目', width: 130 },
        { title: '结果', width: 60, align: 'center' },
        { title: '说明', width: width - 190 },
      ],
      print.checks.map((c) => [c.name, c.passed ? '通过' : '未通过', c.detail]),
    );
  }
  await verificationBlock(doc, [`出具机构：${print.issuer}`, `审查时间：${chinaTime(print.completedAt)}`, `核验码：${print.verifyCode}`], print.verifyUrl);
  return toBuffer(doc);
}
