import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { acceptsConnections, waitFor } from './wait.js';

const run = promisify(execFile);

/**
 * A MariaDB server of the test's own, in a temporary data directory on its own loopback port, that
 * the test may stop, freeze (SIGSTOP) and thaw: the machine's shared MariaDB is never touched.
 */
export class TestMariaDb {
  private process?: ChildProcess;
  private readonly directory = mkdtempSync(join(tmpdir(), 'ce-mariadb-'));

  /**
   * With `binlog`, the server writes a row-based binary log (for point-in-time recovery) under
   * binlogDirectory, and checks grants (root without a password), as mariabackup needs.
   */
  constructor(
    readonly port: number,
    private readonly options: { binlog?: boolean } = {},
  ) {}

  get binlogDirectory(): string {
    return join(this.directory, 'binlog');
  }

  /** The server's URL with a database name (created by the app at start). */
  url(database: string): string {
    return `mysql://root:@127.0.0.1:${this.port}/${database}`;
  }

  async install(): Promise<void> {
    mkdirSync(this.binlogDirectory, { recursive: true });
    await run('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${join(this.directory, 'data')}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--user=root',
    ]);
  }

  async start(): Promise<void> {
    this.process = spawn(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        `--datadir=${join(this.directory, 'data')}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(this.directory, 'mysqld.sock')}`,
        `--pid-file=${join(this.directory, 'mysqld.pid')}`,
        '--user=root',
        ...(this.options.binlog ? [] : ['--skip-grant-tables']),
        '--innodb-buffer-pool-size=32M',
        ...(this.options.binlog ? [`--log-bin=${join(this.binlogDirectory, 'mariadb-bin')}`, '--server-id=1', '--binlog-format=ROW'] : ['--skip-log-bin']),
      ],
      { stdio: 'ignore' },
    );
    await waitFor(`mariadbd on ${this.port}`, () => acceptsConnections(this.port), 30_000, 100);
  }

  /** SIGKILL: the server is gone, connections refused. */
  async kill(): Promise<void> {
    const process = this.process;
    if (!process || process.exitCode !== null || process.signalCode !== null) return;
    const exited = new Promise((resolve) => process.once('exit', resolve));
    process.kill('SIGKILL');
    await exited;
    this.process = undefined;
  }

  /** SIGSTOP: the server holds its connections and answers nothing. */
  freeze(): void {
    this.process?.kill('SIGSTOP');
  }

  thaw(): void {
    this.process?.kill('SIGCONT');
  }

  async remove(): Promise<void> {
    this.thaw();
    await this.kill();
    rmSync(this.directory, { recursive: true, force: true });
  }

}

/** A port unlikely to be taken, distinct per test process. */
export const freeMariaDbPort = (offset: number) => 23400 + ((process.pid * 7 + offset) % 1000);
