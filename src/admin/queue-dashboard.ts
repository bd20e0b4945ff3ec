import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Authenticator } from '../auth/authenticator.service.js';
import { QueueRegistry } from '../queue/queue.module.js';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** An admin key (the bootstrap one or an admin client's) as a bearer token, or as the password of HTTP Basic (what a browser can send). */
async function isAdmin(authorization: string | undefined, authenticator: Authenticator): Promise<boolean> {
  const [scheme, value] = (authorization ?? '').split(' ', 2);
  let key: string | undefined;
  if (scheme === 'Bearer') key = value;
  if (scheme === 'Basic' && value) key = Buffer.from(value, 'base64').toString('utf8').split(':').slice(1).join(':');
  if (!key || !/^[\x21-\x7e]{1,4096}$/.test(key)) return false;
  return (await authenticator.fromCredential(key))?.role === 'admin';
}

/** Bull Board over every queue at /admin/queues, for administrators only. */
export function mountQueueDashboard(app: NestFastifyApplication): void {
  const serverAdapter = new BullBoardFastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: app.get(QueueRegistry).all().map((queue) => new BullMQAdapter(queue)), serverAdapter });
  const authenticator = app.get(Authenticator);
  void app.getHttpAdapter().getInstance().register(async (instance) => {
    instance.addHook('onRequest', async (request, reply) => {
      if (await isAdmin(request.headers.authorization, authenticator)) return;
      return reply
        .status(401)
        .header('www-authenticate', 'Basic realm="ce-ledger queues", charset="UTF-8"')
        .header('content-type', 'application/problem+json; charset=utf-8')
        .send({ type: 'https://ce-ledger.invalid/problems/auth-unauthenticated', title: 'Unauthenticated', status: 401, detail: 'The queue dashboard takes the admin key (Bearer, or as the Basic password).', code: 'AUTH.UNAUTHENTICATED' });
    });
    await instance.register(serverAdapter.registerPlugin() as never, { prefix: QUEUE_DASHBOARD_PATH });
  });
}
