import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { LedgerVerifier } from './ledger/ledger-verifier.js';

/**
 * `npm run ledger:verify`: recomputes every person's hash chain and year totals against the database
 * named by DATABASE_URL. Prints the report as JSON; exits 1 when any link or total does not hold.
 */
async function main(): Promise<number> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ workers: false }), { logger: ['error'], abortOnError: false });
  try {
    const report = await app.get(LedgerVerifier).verify();
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(report.ok ? `ledger verified: ${report.persons} persons, ${report.entries} entries, every chain and total holds\n` : `ledger NOT verified: ${report.brokenChains} broken chain(s), ${report.yearTotalMismatches.length} year total(s) off\n`);
    return report.ok ? 0 : 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`ledger:verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
