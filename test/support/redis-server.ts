import { type ChildProcess, spawn } from 'node:child_process';
import { acceptsConnections, waitFor } from './wait.js';

/**
 * A Redis server of the test's own, on its own port, that the test may stop and start: the
 * machine's shared Redis is never restarted. Nothing is persisted, so a restart loses every job.
 */
export class TestRedis {
  private process?: ChildProcess;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(`redis-server on ${this.port}`, () => acceptsConnections(this.port), 10_000, 50);
  }

  async stop(): Promise<void> {
    const process = this.process;
    if (!process || process.exitCode !== null) return;
    const exited = new Promise((resolve) => process.once('exit', resolve));
    process.kill('SIGKILL');
    await exited;
    this.process = undefined;
  }

}

/** A port unlikely to be taken, distinct per test process. */
export const freeRedisPort = (offset: number) => 16400 + ((process.pid * 7 + offset) % 1000);
