import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import pino, { type DestinationStream } from 'pino';
import { mountQueueDashboard } from './admin/queue-dashboard.js';
import { AppModule } from './app.module.js';
import { openCallerScope } from './auth/caller.js';
import { MetricsService } from './metrics/metrics.service.js';
import { MAX_FILE_BYTES } from './imports/imports.service.js';
import { mountApplicantPage } from './applicant-page/applicant-page.js';
import { DomainError, ServiceUnavailableError } from './common/domain-error.js';
import { safeErrorSerializer } from './common/log-redaction.js';
import { newId } from './common/ids.js';
import { message, preferredLanguage } from './common/messages.js';
import { PinoLoggerService } from './common/pino-logger.service.js';
import { ProblemDetailsFilter, toProblem } from './common/problem-details.filter.js';
import { createValidationPipe } from './common/validation.js';
import { type AppConfig, validateEnvironment } from './config/environment.js';

/** Every route but the batch ones: a single entry or query is a few hundred bytes. */
const DEFAULT_BODY_LIMIT = 64 * 1024;
/**
 * Batch routes take up to 5,000 items. A maximal hours entry (128-character externalId, 50-character
 * name, 200-character CJK course title, field names) is about 1.3 KB of UTF-8 JSON: 5,000 of them
 * fit in 8 MiB with room for formatting, and nothing much larger is accepted.
 */
const BATCH_BODY_LIMIT = 8 * 1024 * 1024;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * A request to the API that has no answer after REQUEST_TIMEOUT_MS (MySQL or Redis frozen, say) gets
 * 503 with Retry-After then, instead of hanging: the guard's key lookup included, which runs before
 * any interceptor could time it.
 */
function answerSlowRequests(fastify: FastifyInstance, timeoutMs: number): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/api/')) return done();
    const timer = setTimeout(() => {
      if (reply.sent) return;
      const lang = preferredLanguage(request.headers['accept-language']);
      const body = toProblem(new ServiceUnavailableError('SERVICE.TIMEOUT', message('SERVICE.TIMEOUT'), 5), lang);
      void reply.status(503).header('retry-after', '5').header('content-type', 'application/problem+json; charset=utf-8').send({ ...body, instance: request.url.split('?')[0] });
    }, timeoutMs);
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
}

/** JSON deeper than this is refused (400) before anything walks it recursively. */
const MAX_JSON_DEPTH = 32;

/** Fastify's JSON parser (which refuses __proto__ and constructor.prototype keys), then a depth bound. */
function jsonWithBoundedDepth(parse: ReturnType<FastifyInstance['getDefaultJsonParser']>) {
  return (request: FastifyRequest, body: Buffer, done: (error: Error | null, value?: unknown) => void) => {
    parse(request, body.toString('utf8'), (error: Error | null, value?: unknown) => {
      if (error) return done(error);
      done(jsonDepth(value) > MAX_JSON_DEPTH ? new DomainError('REQUEST.TOO_DEEP', 400, message('REQUEST.TOO_DEEP')) : null, value);
    });
  };
}

/** The nesting depth of a parsed JSON value, without recursion. */
function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_JSON_DEPTH) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

export interface CreateAppOptions {
  /** Where the JSON log lines go (stdout by default); tests capture them. */
  logDestination?: DestinationStream;
}

function createLogger(config: AppConfig, destination?: DestinationStream) {
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { service: 'ce-ledger' },
      // Credentials never reach a log line; bodies (which hold ID numbers) are never logged at all;
      // errors are logged without the values they carry (a failed statement by its shape only).
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'], remove: true },
      serializers: { err: safeErrorSerializer, error: safeErrorSerializer },
    },
    destination,
  );
}

/**
 * Builds the application exactly as main.ts serves it; end-to-end tests use the same function.
 * It runs the queue workers too unless RUN_WORKERS=false.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<{ app: NestFastifyApplication; config: AppConfig }> {
  const config = validateEnvironment(process.env);
  const logger = createLogger(config, options.logDestination);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: DEFAULT_BODY_LIMIT,
    requestIdHeader: false,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : newId();
    },
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRoute', (route) => {
    if (route.url.endsWith('/batch')) route.bodyLimit = BATCH_BODY_LIMIT;
  });
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // Each request's handler in a caller scope of its own, for the auth guard to fill (auth/caller.ts).
  fastify.addHook('preHandler', openCallerScope);
  answerSlowRequests(fastify, config.REQUEST_TIMEOUT_MS);

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot({ workers: config.RUN_WORKERS }), adapter, {
    logger: new PinoLoggerService(logger),
    // Let a failed start reject, so that main.ts reports it and tests see the cause.
    abortOnError: false,
  });
  const metrics = app.get(MetricsService);
  // By route template (`/api/v1/hours/:id/reversal`), never the raw URL: ids would make a series each.
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe({ method: request.method, route: request.routeOptions.url ?? '(unmatched)', status: reply.statusCode }, reply.elapsedTime / 1000);
  });
  await app.register(fastifyCookie);
  // Spreadsheet uploads: one file part, at most 20 MB, read as it streams in (a larger one is refused mid-way).
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 4, parts: 5 }, throwFileSizeLimit: true });
  app.useBodyParser('application/json', { bodyLimit: DEFAULT_BODY_LIMIT }, jsonWithBoundedDepth(fastify.getDefaultJsonParser('error', 'error')));
  mountQueueDashboard(app);
  mountApplicantPage(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Continuing-education hours ledger')
      .setDescription('Hours posted by training providers, read by applicants and title-evaluation systems. See README.md.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key (admin, provider, title_system) or applicant token' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return { app, config };
}

/** A process that runs the queue workers only (no HTTP): `npm run start:worker`. */
export async function createWorker(options: CreateAppOptions = {}): Promise<INestApplicationContext> {
  const config = validateEnvironment(process.env);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ workers: true }), {
    logger: new PinoLoggerService(createLogger(config, options.logDestination)),
    abortOnError: false,
  });
  return app;
}

/**
 * On SIGTERM or SIGINT: close the application (HTTP stops accepting, workers stop fetching and
 * finish the jobs they hold, connections close), then exit 0.
 */
export function closeOnSignals(app: INestApplicationContext): void {
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (closing) return;
      closing = true;
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`Shutdown failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
}
