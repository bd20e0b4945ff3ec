import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type FieldError } from './domain-error';

/** RFC 9457 problem details, with `code` (stable, for programs) and `errors` (per field). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldError[];
}

const PROBLEM_TYPE_BASE = 'https://ce-ledger.invalid/problems/';

const problem = (status: number, code: string, title: string, detail: string, errors?: FieldError[]): ProblemDetails => ({
  type: `${PROBLEM_TYPE_BASE}${code.toLowerCase().replace(/[._]/g, '-')}`,
  title,
  status,
  detail,
  code,
  ...(errors ? { errors } : {}),
});

/** Fastify's own errors (body parsing, size limit, media type) carry a 4xx statusCode and a code. */
const FASTIFY_PROBLEMS: Record<string, [string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['REQUEST.BODY_TOO_LARGE', 'Request body too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['REQUEST.UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['REQUEST.MALFORMED', 'Malformed request body'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['REQUEST.MALFORMED', 'Malformed request body'],
};

/** Maps anything thrown to problem details: the only place where errors become HTTP. */
export function toProblem(exception: unknown): ProblemDetails {
  if (exception instanceof DomainError) {
    return problem(exception.status, exception.code, exception.title, exception.message, exception.errors);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const title = HttpStatus[status] ? String(HttpStatus[status]).replace(/_/g, ' ').toLowerCase() : 'Error';
    const response = exception.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
    return problem(status, `HTTP.${HttpStatus[status] ?? status}`, title.charAt(0).toUpperCase() + title.slice(1), detail);
  }
  const fastifyError = exception as { statusCode?: unknown; code?: unknown; message?: unknown } | null;
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const known = FASTIFY_PROBLEMS[String(fastifyError.code)];
    const isJsonSyntax = exception instanceof SyntaxError || String(fastifyError.code).startsWith('FST_ERR_CTP');
    const [code, title] = known ?? (isJsonSyntax ? ['REQUEST.MALFORMED', 'Malformed request body'] : ['REQUEST.REJECTED', 'Bad request']);
    return problem(fastifyError.statusCode, code, title, String(fastifyError.message ?? title));
  }
  return problem(500, 'INTERNAL', 'Internal server error', 'The server failed to handle the request; it has been logged.');
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, body: ProblemDetails): void {
  void reply
    .status(body.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({ ...body, instance: request.url.split('?')[0] });
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const body = toProblem(exception);
    if (body.status >= 500) {
      this.logger.error({ err: exception, requestId: http.getRequest<FastifyRequest>().id }, 'Unhandled error');
    }
    sendProblem(http.getResponse<FastifyReply>(), http.getRequest<FastifyRequest>(), body);
  }
}
