import { jest } from '@jest/globals';
import type { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../../src/config/environment.js';
import { ModuleWorkers } from '../../src/queue/module-workers.js';

describe("a module's workers: the sweeper", () => {
  const config = { get: (key: string) => ({ SWEEP_INTERVAL_SECONDS: 3600, WORKER_LOCK_MS: 30000 })[key] } as unknown as ConfigService<AppConfig, true>;
  const logger = () => ({ log: jest.fn(), warn: jest.fn(), error: jest.fn() });

  it('runs one sweep at a time, each after the one before', async () => {
    const workers = new ModuleWorkers(config, logger() as unknown as Logger);
    const order: string[] = [];
    let release!: () => void;
    const first = workers.sweepNow(async () => {
      order.push('first started');
      await new Promise<void>((resolve) => (release = resolve));
      order.push('first ended');
      return 2;
    });
    const second = workers.sweepNow(async () => {
      order.push('second started');
      return 3;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['first started']);
    release();
    expect(await Promise.all([first, second])).toEqual([2, 3]);
    expect(order).toEqual(['first started', 'first ended', 'second started']);
    await workers.close();
  });

  it('counts a failed sweep as none, says why, and sweeps again the next time', async () => {
    const log = logger();
    const workers = new ModuleWorkers(config, log as unknown as Logger);
    expect(await workers.sweepNow(() => Promise.reject(new Error('Redis is away')))).toBe(0);
    expect(log.warn).toHaveBeenCalledWith('Sweep skipped: Redis is away');
    expect(await workers.sweepNow(() => Promise.resolve(4))).toBe(4);
    await workers.close();
  });
});
