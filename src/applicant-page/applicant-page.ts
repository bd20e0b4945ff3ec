import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicantTokensService } from '../auth/applicant-tokens.service.js';

export const APPLICANT_PAGE_PATH = '/app/';

/** Only the page's own files run and load; nothing frames it; forms and fetches stay on this origin. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  // Evidence previews on the review page: files fetched with the reviewer's credentials, shown from blob: URLs.
  "frame-src blob:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The applicants' page under /app: static files that use the public API with a session (signed in
 * through /auth: the SSO, or the development sign-in where NODE_ENV is not production) or an
 * applicant token handed over by /app/sign-in.
 */
export function mountApplicantPage(app: NestFastifyApplication): void {
  void app.getHttpAdapter().getInstance().register(async (instance) => {
    instance.addHook('onSend', async (_request, reply, payload) => {
      void reply
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache');
      return payload;
    });
    instance.get('/app', (_request, reply) => reply.redirect(APPLICANT_PAGE_PATH, 301));
    // The providers' page: the same look, files and CSP, signed in as the provider's staff.
    const providerPage = readFileSync(join(import.meta.dirname, 'public', 'provider.html'), 'utf8');
    instance.get('/provider', (_request, reply) => reply.redirect('/provider/', 301));
    instance.get('/provider/', (_request, reply) => reply.type('text/html; charset=utf-8').send(providerPage));
    // The reviewers' page (employers and the human-resources office), likewise.
    const reviewPage = readFileSync(join(import.meta.dirname, 'public', 'review.html'), 'utf8');
    instance.get('/review', (_request, reply) => reply.redirect('/review/', 301));
    instance.get('/review/', (_request, reply) => reply.type('text/html; charset=utf-8').send(reviewPage));
    await registerTokenHandOff(instance, app.get(ApplicantTokensService));
    await instance.register(fastifyStatic, { root: join(import.meta.dirname, 'public'), prefix: APPLICANT_PAGE_PATH, decorateReply: false });
  });
}

const HANDOFF_COOKIE = 'ce_app_handoff';
const HANDOFF_SECONDS = 120;

/**
 * How a sign-in hands the page its token without putting it in a URL (where browser history,
 * proxies and Referer headers would keep it): the SSO bridge POSTs a form `token=…` (parsed by Nest's
 * urlencoded parser) to /app/sign-in,
 * which checks it, keeps it for two minutes in an httpOnly cookie scoped to /app/, and redirects to
 * the page; the page then takes it once from POST /app/handoff, which clears the cookie.
 */
async function registerTokenHandOff(instance: FastifyInstance, tokens: ApplicantTokensService): Promise<void> {
  const cookieOptions = (request: FastifyRequest) =>
    ({ path: APPLICANT_PAGE_PATH, httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' }) as const;

  instance.post('/app/sign-in', async (request, reply) => {
    const token = (request.body as Record<string, unknown> | undefined)?.token;
    if (typeof token !== 'string' || !(await tokens.verify(token))) return reply.redirect(`${APPLICANT_PAGE_PATH}?signin=failed`, 303);
    void reply.setCookie(HANDOFF_COOKIE, token, { ...cookieOptions(request), maxAge: HANDOFF_SECONDS });
    return reply.redirect(APPLICANT_PAGE_PATH, 303);
  });
  instance.post('/app/handoff', async (request, reply) => {
    const token = request.cookies[HANDOFF_COOKIE];
    if (!token) return reply.status(204).send();
    void reply.clearCookie(HANDOFF_COOKIE, cookieOptions(request)).header('cache-control', 'no-store');
    return { token };
  });
}
