import 'reflect-metadata';
import { closeOnSignals, createApp } from './bootstrap.js';
import { ConfigurationError, DEVELOPMENT_DEFAULTS } from './config/environment.js';

async function main(): Promise<void> {
  const { app, config } = await createApp();
  closeOnSignals(app);
  await app.listen({ port: config.PORT, host: config.HOST });
  const base = `http://localhost:${config.PORT}`;
  app.getHttpAdapter().getInstance().log.info(`Serving on ${base}; API documentation at ${base}/docs`);
  if (config.ADMIN_API_KEY === DEVELOPMENT_DEFAULTS.ADMIN_API_KEY) {
    // Printed to the terminal, not the JSON log: a development convenience that production refuses.
    process.stdout.write(`\nDevelopment admin key: ${config.ADMIN_API_KEY}\nAPI documentation:     ${base}/docs\n\n`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
