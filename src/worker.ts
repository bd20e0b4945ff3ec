import 'reflect-metadata';
import { closeOnSignals, createWorker } from './bootstrap.js';
import { ConfigurationError } from './config/environment.js';

/** Workers only: consumes the certification and webhook queues; SIGTERM finishes active jobs, then exits. */
createWorker().then(closeOnSignals, (error: unknown) => {
  process.stderr.write(error instanceof ConfigurationError ? `${error.message}\n` : `Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
