import PDFDocument from 'pdfkit';
import { orgCodeCheckCharacter } from '../../src/common/org-code.js';
import { ADMIN_KEY, bearer, type TestApp } from './test-app.js';

/** A valid 统一社会信用代码 from 17 characters (GB 32100 check character appended). */
export const orgCode = (first17: string): string => first17 + orgCodeCheckCharacter(first17);

/** A 1×1 PNG: the smallest real image. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** A one-page PDF with some text, as a certificate of attendance would be. */
export function pdf(text = 'Certificate of attendance'): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A5' });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.fontSize(20).text(text, 50, 80);
    doc.end();
  });
}

export async function createEmployer(test: TestApp, code: string, name: string): Promise<{ id: string; orgCode: string; name: string; apiKey: string }> {
  const employer = (await test.http().post('/api/v1/admin/employers').set(bearer(ADMIN_KEY)).send({ orgCode: code, name }).expect(201)).body;
  const client = (await test.http().post('/api/v1/admin/clients').set(bearer(ADMIN_KEY)).send({ name: `${name}人事处`, role: 'employer', employerId: employer.id }).expect(201)).body;
  return { ...employer, apiKey: client.apiKey };
}

export async function createAuthority(test: TestApp, name: string, code?: string): Promise<string> {
  return (await test.http().post('/api/v1/admin/clients').set(bearer(ADMIN_KEY)).send({ name, role: 'authority', ...(code ? { orgCode: code } : {}) }).expect(201)).body.apiKey;
}
