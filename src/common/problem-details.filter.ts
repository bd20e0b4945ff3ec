import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type FieldError } from './domain-error.js';

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

/**
 * Maps anything thrown to problem details: the only place where errors become HTTP. Fastify's own
 * errors (malformed JSON, body too large) reach here as HttpExceptions, mapped by Nest's adapter.
 */
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
  return problem(500, 'INTERNAL', 'Internal server error', 'The server failed to handle the request; it has been logged.');
}

function sendProblem(reply: FastifyReply, request: FastifyRequest, body: ProblemDetails): void {
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
    const reply = http.getResponse<FastifyReply>();
    if (exception instanceof DomainError && exception.headers) void reply.headers(exception.headers);
    sendProblem(reply, http.getRequest<FastifyRequest>(), body);
  }
}
