import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { join } from 'node:path';
import { type AppConfig, DEVELOPMENT_DEFAULTS } from '../config/environment.js';

export const APPLICANT_PAGE_PATH = '/app/';

/** Only the page's own files run and load; nothing frames it; forms and fetches stay on this origin. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The applicants' page under /app: static files that use the public API with the applicant token.
 * In development (never in production) /app/dev-config.json hands the page the development admin
 * key, so that a newcomer can sign in with an ID number at once.
 */
export function mountApplicantPage(app: NestFastifyApplication, config: AppConfig): void {
  const offerDevSignIn = config.NODE_ENV !== 'production' && config.ADMIN_API_KEY === DEVELOPMENT_DEFAULTS.ADMIN_API_KEY;
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
    if (offerDevSignIn) instance.get('/app/dev-config.json', async () => ({ adminKey: config.ADMIN_API_KEY }));
    await instance.register(fastifyStatic, { root: join(import.meta.dirname, 'public'), prefix: APPLICANT_PAGE_PATH, decorateReply: false });
  });
}
