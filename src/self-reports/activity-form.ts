import type { FastifyRequest } from 'fastify';
import { fieldError, InvalidRequestError, type FieldError } from '../common/domain-error.js';
import { JsonSchemaPipe } from '../common/json-schema.js';
import { message } from '../common/messages.js';
import { ACTIVITY_FIELDS_SCHEMA, type ActivityFields } from './dto/activity.dto.js';
import { evidenceMediaType } from './evidence-store.js';
import type { EvidenceUpload } from './self-reports.service.js';

export const MAX_EVIDENCE_FILES = 5;
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

const fieldsPipe = new JsonSchemaPipe<ActivityFields>(ACTIVITY_FIELDS_SCHEMA);

/**
 * Reads a report's multipart form as it streams in: the text fields, and up to five evidence files,
 * each cut off at 10 MB by the parser (never buffered past it) and typed by its first bytes. Every
 * problem of the form is reported at once; nothing is stored until all of it is good.
 */
export async function readActivityForm(request: FastifyRequest): Promise<{ fields: ActivityFields; files: EvidenceUpload[] }> {
  if (!request.isMultipart()) throw new InvalidRequestError([{ path: '(body)', message: message('SELF_REPORT.NO_FORM') }], message('SELF_REPORT.NO_FORM'));
  const raw: Record<string, unknown> = {};
  const files: EvidenceUpload[] = [];
  const errors: FieldError[] = [];
  let index = 0;
  try {
    const parts = request.parts({ limits: { fileSize: MAX_EVIDENCE_BYTES, files: MAX_EVIDENCE_FILES, fields: 12, parts: 20, fieldSize: 4096 } });
    for await (const part of parts) {
      if (part.type === 'field') {
        raw[part.fieldname] = part.fieldname === 'hours' && typeof part.value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(part.value) ? Number(part.value) : part.value;
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      const name = (part.filename || 'evidence').slice(0, 200);
      const path = `evidence[${index++}]`;
      if (part.fieldname !== 'evidence') errors.push(fieldError(part.fieldname, 'FIELD.UNKNOWN', { name: part.fieldname }));
      else if (part.file.truncated) errors.push(fieldError(path, 'FIELD.EVIDENCE_TOO_LARGE', { max: MAX_EVIDENCE_BYTES / 1024 / 1024 }));
      else if (bytes.length === 0) errors.push(fieldError(path, 'FIELD.EVIDENCE_EMPTY', { name }));
      else {
        const mediaType = evidenceMediaType(bytes);
        if (!mediaType) errors.push(fieldError(path, 'FIELD.EVIDENCE_TYPE', { name }));
        else files.push({ fileName: name, mediaType, bytes });
      }
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') errors.push(fieldError('evidence', 'FIELD.EVIDENCE_TOO_MANY', { max: MAX_EVIDENCE_FILES }));
    else if (code === 'FST_REQ_FILE_TOO_LARGE') errors.push(fieldError('evidence', 'FIELD.EVIDENCE_TOO_LARGE', { max: MAX_EVIDENCE_BYTES / 1024 / 1024 }));
    else if (code?.startsWith('FST_')) throw new InvalidRequestError([{ path: '(body)', message: message('SELF_REPORT.NO_FORM') }], message('SELF_REPORT.NO_FORM'));
    else throw error;
  }
  let fields: ActivityFields | null = null;
  try {
    fields = fieldsPipe.transform(raw);
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    errors.unshift(...(error.errors ?? []));
  }
  if (errors.length > 0 || !fields) throw new InvalidRequestError(errors);
  return { fields, files };
}
