import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium binary (`/usr/bin/chromium` is a wrapper script playwright cannot drive). */
export const CHROMIUM = '/usr/lib/chromium/chromium';

/** Flags that let Chromium run headless as root in a container, without reaching out to the network. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches Debian's Chromium; playwright-core never downloads a browser of its own. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed (${CHROMIUM} is missing): run \`apt-get install -y chromium\` and try again.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}
