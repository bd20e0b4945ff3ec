import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with no network beyond loopback; a failure to start fails the test. */
export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  } catch (error) {
    throw new Error(`Chromium could not start from ${CHROMIUM} (install Debian's chromium: apt-get install -y chromium): ${(error as Error).message}`);
  }
}

/** Runs a browser step; on failure leaves a screenshot in test/artifacts/ and rethrows. */
export async function withScreenshotOnFailure(page: Page, name: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    const directory = join(process.cwd(), 'test', 'artifacts');
    mkdirSync(directory, { recursive: true });
    await page.screenshot({ path: join(directory, `${name}.png`), fullPage: true }).catch(() => undefined);
    throw error;
  }
}
