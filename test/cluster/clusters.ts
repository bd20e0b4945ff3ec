import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { acceptsConnections, waitFor } from '../support/wait.js';

const run = promisify(execFile);

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid, gid);
    else chownSync(child, uid, gid);
  }
}

/**
 * A 3-node MariaDB Galera cluster on loopback ports in a temporary directory. The servers run as the
 * `mysql` user (as Debian runs them): the joiners' rsync state transfer cannot write as root's
 * `nobody` fallback. Node 1 bootstraps; nodes 2 and 3 join it by a full state transfer.
 */
export class GaleraCluster {
  readonly directory = mkdtempSync(join(tmpdir(), 'ce-galera-'));
  private readonly processes = new Map<number, ChildProcess>();

  constructor(private readonly basePort: number) {}

  /** The SQL port of node n (1–3). */
  port(node: number): number {
    return this.basePort + node * 10;
  }

  url(node: number, database: string): string {
    return `mysql://root:@127.0.0.1:${this.port(node)}/${database}`;
  }

  async start(): Promise<void> {
    const { stdout } = await run('id', ['-u', 'mysql']).catch(() => ({ stdout: '' }));
    if (!stdout.trim()) throw new Error('The Galera test runs its servers as the mysql user (Debian’s mariadb-server creates it)');
    const uid = Number(stdout.trim());
    const gid = Number((await run('id', ['-g', 'mysql'])).stdout.trim());
    for (const node of [1, 2, 3]) mkdirSync(join(this.directory, `n${node}`, 'data'), { recursive: true });
    chownTree(this.directory, uid, gid);
    await run('mariadb-install-db', ['--no-defaults', `--datadir=${join(this.directory, 'n1', 'data')}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=mysql']);
    this.startNode(1, ['--wsrep-new-cluster']);
    await this.waitSynced(1, 1);
    this.startNode(2);
    await this.waitSynced(2, 2);
    this.startNode(3);
    await this.waitSynced(3, 3);
  }

  private startNode(node: number, extra: string[] = []): void {
    const dir = join(this.directory, `n${node}`);
    const galeraPort = (n: number) => this.port(n) + 1;
    const process = spawn(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        `--datadir=${join(dir, 'data')}`,
        `--port=${this.port(node)}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mysqld.sock')}`,
        `--pid-file=${join(dir, 'mysqld.pid')}`,
        '--user=mysql',
        '--skip-grant-tables',
        '--innodb-buffer-pool-size=64M',
        '--binlog-format=ROW',
        '--innodb-autoinc-lock-mode=2',
        '--wsrep-on=ON',
        '--wsrep-provider=/usr/lib/galera/libgalera_smm.so',
        '--wsrep-cluster-name=ce-ledger-test',
        `--wsrep-cluster-address=gcomm://${[1, 2, 3].map((n) => `127.0.0.1:${galeraPort(n)}`).join(',')}`,
        `--wsrep-node-address=127.0.0.1:${galeraPort(node)}`,
        `--wsrep-node-name=n${node}`,
        `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${galeraPort(node)};ist.recv_addr=127.0.0.1:${this.port(node) + 2};evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S`,
        `--wsrep-sst-receive-address=127.0.0.1:${this.port(node) + 3}`,
        '--wsrep-sst-method=rsync',
        ...extra,
      ],
      { stdio: 'ignore' },
    );
    this.processes.set(node, process);
  }

  async query<T = Record<string, unknown>>(node: number, sql: string): Promise<T[]> {
    const { stdout } = await run('mariadb', ['--no-defaults', '-h', '127.0.0.1', '-P', String(this.port(node)), '-u', 'root', '--batch', '-e', sql]);
    const [header, ...lines] = stdout.trim().split('\n');
    if (!header) return [];
    const columns = header.split('\t');
    return lines.map((line) => Object.fromEntries(line.split('\t').map((value, i) => [columns[i], value])) as T);
  }

  async waitSynced(node: number, size: number): Promise<void> {
    await waitFor(`Galera node ${node} synced in a cluster of ${size}`, async () => {
      if (!(await acceptsConnections(this.port(node)))) return false;
      const rows = await this.query<{ Variable_name: string; Value: string }>(node, "SHOW STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_local_state_comment')").catch(() => []);
      const status = Object.fromEntries(rows.map((row) => [row.Variable_name, row.Value]));
      return status.wsrep_local_state_comment === 'Synced' && Number(status.wsrep_cluster_size) === size;
    }, 90_000, 250);
  }

  /** SIGKILL: the node is gone without a goodbye; the others notice within the suspect timeout. */
  async kill(node: number): Promise<void> {
    const process = this.processes.get(node);
    if (!process || process.exitCode !== null) return;
    const exited = new Promise((resolve) => process.once('exit', resolve));
    process.kill('SIGKILL');
    await exited;
    this.processes.delete(node);
  }

  async stop(): Promise<void> {
    for (const node of [...this.processes.keys()]) await this.kill(node);
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** A Redis Cluster of 3 masters and 3 replicas on loopback ports; a master can be killed and its replica promoted. */
export class RedisCluster {
  readonly directory = mkdtempSync(join(tmpdir(), 'ce-redis-cluster-'));
  private readonly processes = new Map<number, ChildProcess>();

  constructor(private readonly basePort: number) {}

  get ports(): number[] {
    return [0, 1, 2, 3, 4, 5].map((i) => this.basePort + i);
  }

  get nodes(): string {
    return this.ports.map((port) => `127.0.0.1:${port}`).join(',');
  }

  async start(): Promise<void> {
    for (const port of this.ports) {
      const dir = join(this.directory, String(port));
      mkdirSync(dir, { recursive: true });
      const process = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '2000', '--save', '', '--appendonly', 'no', '--dir', dir],
        { stdio: 'ignore' },
      );
      this.processes.set(port, process);
    }
    for (const port of this.ports) await waitFor(`redis-server on ${port}`, () => acceptsConnections(port), 20_000, 100);
    await run('redis-cli', ['--cluster', 'create', ...this.ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes']);
    await waitFor('the Redis Cluster ok', async () => (await this.cli(this.ports[0], 'cluster', 'info')).includes('cluster_state:ok'), 30_000, 200);
  }

  cli(port: number, ...args: string[]): Promise<string> {
    return run('redis-cli', ['-p', String(port), ...args]).then((result) => result.stdout);
  }

  /** The master port that serves the slot of `key` (e.g. the queues' hash tag `{ce}`). */
  async masterOf(key: string, alive = this.ports): Promise<number> {
    const slot = Number((await this.cli(alive[0], 'cluster', 'keyslot', key)).trim());
    const nodes = await this.cli(alive[0], 'cluster', 'nodes');
    for (const line of nodes.trim().split('\n')) {
      const [, address, flags, , , , , , ...slots] = line.split(' ');
      if (!flags.includes('master') || flags.includes('fail')) continue;
      for (const range of slots) {
        const [from, to = from] = range.split('-').map(Number);
        if (slot >= from && slot <= to) return Number(address.split('@')[0].split(':')[1]);
      }
    }
    throw new Error(`No master serves slot ${slot}`);
  }

  async kill(port: number): Promise<void> {
    const process = this.processes.get(port);
    if (!process || process.exitCode !== null) return;
    const exited = new Promise((resolve) => process.once('exit', resolve));
    process.kill('SIGKILL');
    await exited;
    this.processes.delete(port);
  }

  async stop(): Promise<void> {
    for (const port of [...this.processes.keys()]) await this.kill(port);
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** The compiled service in a process of its own, as deployed: `dist/src/main.js` or `dist/src/worker.js`. */
export class ServiceProcess {
  private process?: ChildProcess;
  readonly output: string[] = [];

  constructor(
    private readonly script: 'main' | 'worker',
    private readonly env: Record<string, string>,
  ) {}

  async start(readyPort: number): Promise<void> {
    this.process = spawn(process.execPath, [`dist/src/${this.script}.js`], { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.process.stdout!, this.process.stderr!]) stream.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    await waitFor(`${this.script} on ${readyPort}`, async () => {
      if (this.process?.exitCode !== null) throw new Error(`${this.script} exited: ${this.output.join('').slice(-2000)}`);
      return acceptsConnections(readyPort);
    }, 90_000, 200);
  }

  async stop(): Promise<void> {
    const process = this.process;
    if (!process || process.exitCode !== null) return;
    const exited = new Promise((resolve) => process.once('exit', resolve));
    process.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (process.exitCode === null) process.kill('SIGKILL');
  }
}
