import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type FieldError } from './domain-error.js';
import { isUnavailable } from './unavailable.js';
import { type Lang, message, type Message, preferredLanguage, renderMessage, statusTitle } from './messages.js';

/** RFC 9457 problem details, with `code` (stable, for programs) and `errors` (per field). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: { path: string; message: string }[];
}

const PROBLEM_TYPE_BASE = 'https://ce-ledger.invalid/problems/';

/** What Fastify and Nest raise themselves (malformed JSON, body too large, no such route), by status. */
function httpExceptionMessage(status: number, request?: FastifyRequest): Message {
  switch (status) {
    case 400:
      return message('REQUEST.MALFORMED');
    case 404:
      return message('REQUEST.ROUTE_NOT_FOUND', { method: request?.method ?? '', url: request?.url.split('?')[0] ?? '' });
    case 413:
      return message('REQUEST.TOO_LARGE');
    case 415:
      return message('REQUEST.UNSUPPORTED_MEDIA_TYPE');
    default:
      return message('REQUEST.FAILED', { status });
  }
}

const renderErrors = (errors: FieldError[], lang: Lang) =>
  errors.map((error) => ({ path: error.path, message: renderMessage(error.message, lang, error.path) }));

/**
 * Maps anything thrown to problem details in the request's language: the only place where errors
 * become HTTP. Fastify's own errors (malformed JSON, body too large) reach here as HttpExceptions.
 */
export function toProblem(exception: unknown, lang: Lang = 'zh', request?: FastifyRequest): ProblemDetails {
  let status = 500;
  let code = 'INTERNAL';
  let detail: Message = message('INTERNAL');
  let errors: FieldError[] | undefined;
  if (exception instanceof DomainError) {
    ({ status, code, detail, errors } = exception);
  } else if (isUnavailable(exception)) {
    status = 503;
    code = 'SERVICE.UNAVAILABLE';
    detail = message('SERVICE.UNAVAILABLE');
  } else if (exception instanceof HttpException) {
    status = exception.getStatus();
    code = `HTTP.${HttpStatus[status] ?? status}`;
    detail = httpExceptionMessage(status, request);
  }
  return {
    type: `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/[._]/g, '-')}`,
    title: statusTitle(status, lang),
    status,
    detail: renderMessage(detail, lang),
    code,
    ...(errors ? { errors: renderErrors(errors, lang) } : {}),
  };
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const lang = preferredLanguage(request.headers['accept-language']);
    const body = toProblem(exception, lang, request);
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent) return; // answered already (a request past REQUEST_TIMEOUT_MS got its 503)
    if (body.code === 'SERVICE.UNAVAILABLE') {
      this.logger.warn({ err: exception, requestId: request.id }, 'MySQL or Redis unavailable');
      void reply.header('retry-after', '5');
    } else if (body.status >= 500) {
      this.logger.error({ err: exception, requestId: request.id }, 'Unhandled error');
    }
    if (exception instanceof DomainError && exception.headers) void reply.headers(exception.headers);
    void reply
      .status(body.status)
      .header('content-language', lang === 'zh' ? 'zh-CN' : 'en')
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send({ ...body, instance: request.url.split('?')[0] });
  }
}
