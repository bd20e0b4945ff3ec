import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** No Docker engine runs where the tests run, so the files are checked for structure instead. */
const root = join(import.meta.dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'));
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  it('has the app, a worker, MySQL 8 and Redis 7 (and Prometheus and Grafana in a profile), each with a healthcheck', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'grafana', 'mysql', 'prometheus', 'redis', 'worker']);
    expect(Object.entries<any>(compose.services).filter(([, s]) => s.profiles).map(([name, s]) => [name, s.profiles])).toEqual([
      ['prometheus', ['observability']],
      ['grafana', ['observability']],
    ]);
    expect(compose.services.mysql.image).toMatch(/^mysql:8(\.|$)/);
    expect(compose.services.redis.image).toMatch(/^redis:7(-|$)/);
    for (const service of Object.values<any>(compose.services)) {
      expect(Array.isArray(service.healthcheck.test)).toBe(true);
      expect(service.healthcheck.test[0]).toMatch(/^CMD(-SHELL)?$/);
      expect(service.healthcheck.interval).toMatch(/^\d+s$/);
    }
  });

  it('starts the app only once both services are healthy', () => {
    expect(compose.services.app.depends_on).toEqual({ mysql: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
  });

  it('runs the worker process from the same image, after the app has migrated the database', () => {
    expect(compose.services.worker.build).toEqual(compose.services.app.build);
    expect(compose.services.worker.command).toEqual(['node', 'dist/src/worker.js']);
    expect(compose.services.worker.environment.DB_MIGRATE).toBe('false');
    expect(compose.services.worker.environment.DATABASE_URL).toBe(compose.services.app.environment.DATABASE_URL);
    expect(compose.services.worker.depends_on).toEqual({ app: { condition: 'service_healthy' } });
  });

  it('points the app at the compose services and publishes port 3000', () => {
    const env = compose.services.app.environment;
    expect(env.DATABASE_URL).toMatch(/^mysql:\/\/ce_ledger:.+@mysql:3306\/ce_ledger$/);
    expect(env.REDIS_URL).toBe('redis://redis:6379/0');
    expect(compose.services.app.ports).toEqual(['${PORT:-3000}:3000']);
    expect(compose.services.mysql.environment.MYSQL_DATABASE).toBe('ce_ledger');
    expect(compose.services.mysql.environment.MYSQL_USER).toBe('ce_ledger');
  });

  it('declares every named volume it mounts, and every file it mounts exists', () => {
    const mounted = Object.values<any>(compose.services).flatMap((s) => (s.volumes ?? []).map((v: string) => v.split(':')[0]));
    expect(mounted.filter((v) => !v.startsWith('./')).sort()).toEqual(Object.keys(compose.volumes).sort());
    for (const path of mounted.filter((v) => v.startsWith('./'))) expect([path, existsSync(join(root, path))]).toEqual([path, true]);
  });

  it('scrapes the app and the worker with the metrics token, and loads the alert rules', () => {
    const prometheus = parse(readFileSync(join(root, 'docs/ops/prometheus.yml'), 'utf8'));
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    const targets = prometheus.scrape_configs.flatMap((job: any) => job.static_configs.flatMap((c: any) => c.targets));
    expect(targets.sort()).toEqual(['app:3000', 'worker:9464']);
    for (const job of prometheus.scrape_configs) expect(job.authorization.credentials_file ?? job.authorization.credentials).toBeDefined();
    expect(compose.services.worker.environment.METRICS_PORT).toBe('9464');
  });

  it('builds from a multi-stage Dockerfile whose copied paths exist', () => {
    expect(compose.services.app.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(' '));
    expect(copied.length).toBeGreaterThan(3);
    for (const path of copied) expect(existsSync(join(root, path))).toBe(true);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
  });
});
