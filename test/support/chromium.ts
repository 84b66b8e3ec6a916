/**
 * Debian's Chromium for the browser tests, headless, driven by playwright-core. CI installs /usr/bin/chromium
 * (`apt-get install -y chromium`) and a missing one fails there; elsewhere the tests are skipped.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Whether the browser tests must be skipped: true (with a warning naming `suite`) when Chromium is missing
 * outside CI; throws when it is missing in CI.
 */
export function chromiumMissing(suite: string): boolean {
  const missing = !existsSync(CHROMIUM);
  if (missing && process.env.CI) {
    throw new Error(
      `${CHROMIUM} is missing: .ci/run must run 'apt-get install -y chromium' before the tests`,
    );
  }
  if (missing) console.warn(`${suite} skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
  return missing;
}

/** Starts headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}
