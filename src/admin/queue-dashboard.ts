import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { timingSafeEqual } from 'node:crypto';
import { hashApiKey } from '../auth/api-keys.js';
import { Queues } from '../queue/queue.module.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** The admin key as a bearer token, or as the password of HTTP Basic (what a browser can send). */
function isAdmin(authorization: string | undefined, adminKeyHash: Buffer): boolean {
  const [scheme, value] = (authorization ?? '').split(' ', 2);
  let key: string | undefined;
  if (scheme === 'Bearer') key = value;
  if (scheme === 'Basic' && value) key = Buffer.from(value, 'base64').toString('utf8').split(':').slice(1).join(':');
  return key !== undefined && timingSafeEqual(hashApiKey(key), adminKeyHash);
}

/** Bull Board over the certification and webhook queues at /admin/queues, for administrators only. */
export function mountQueueDashboard(app: NestFastifyApplication, adminKey: string): void {
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: app.get(Queues).all().map((queue) => new BullMQAdapter(queue)), serverAdapter });
  const adminKeyHash = hashApiKey(adminKey);
  void app.getHttpAdapter().getInstance().register(async (instance) => {
    instance.addHook('onRequest', async (request, reply) => {
      if (isAdmin(request.headers.authorization, adminKeyHash)) return;
      return reply
        .status(401)
        .header('www-authenticate', 'Basic realm="ce-ledger queues", charset="UTF-8"')
        .header('content-type', 'application/problem+json; charset=utf-8')
        .send({ type: 'https://ce-ledger.invalid/problems/auth-unauthenticated', title: 'Unauthenticated', status: 401, detail: 'The queue dashboard takes the admin key (Bearer, or as the Basic password).', code: 'AUTH.UNAUTHENTICATED' });
    });
    await instance.register(serverAdapter.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_PATH });
  });
}
