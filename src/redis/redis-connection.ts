import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'bullmq';
import type { AppConfig } from '../config/environment.js';

type RedisConfig = Pick<AppConfig, 'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'QUEUE_PREFIX'>;
interface Settings {
  get<K extends keyof RedisConfig>(key: K, options: { infer: true }): RedisConfig[K];
}

/** REDIS_CLUSTER_NODES (`host:port,host:port,…`) as ioredis wants them; null without a cluster. */
export function clusterNodes(config: Settings): { host: string; port: number }[] | null {
  const nodes = config.get('REDIS_CLUSTER_NODES', { infer: true });
  if (!nodes) return null;
  return nodes.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    return { host: node.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(node.slice(at + 1)) };
  });
}

/** A client on REDIS_URL, or on the cluster when REDIS_CLUSTER_NODES is set (the one place that decides). */
export function createRedisClient(config: Settings, options: RedisOptions): Redis | Cluster {
  const nodes = clusterNodes(config);
  if (!nodes) return new Redis(config.get('REDIS_URL', { infer: true }), options);
  const { enableOfflineQueue, enableAutoPipelining, ...redisOptions } = options;
  return new Cluster(nodes, { redisOptions, enableOfflineQueue, enableAutoPipelining, slotsRefreshTimeout: 2000 });
}

/**
 * BullMQ's connection. Producers fail at once while Redis is away (no offline queue); workers wait for
 * it (no retry limit per request), as BullMQ requires of them.
 */
export function queueConnection(config: Settings, role: 'producer' | 'worker'): ConnectionOptions {
  const options: RedisOptions = role === 'worker' ? { maxRetriesPerRequest: null } : { enableOfflineQueue: false };
  return clusterNodes(config) ? createRedisClient(config, options) : ({ url: config.get('REDIS_URL', { infer: true }), ...options } as ConnectionOptions);
}

/**
 * The queues' key prefix. In a cluster every key a BullMQ script touches must be in one hash slot, so
 * the prefix becomes a hash tag (`ce` → `{ce}`) unless it is one already.
 */
export function queuePrefix(config: Settings): string {
  const prefix = config.get('QUEUE_PREFIX', { infer: true });
  return clusterNodes(config) && !/\{[^}]+\}/.test(prefix) ? `{${prefix}}` : prefix;
}
