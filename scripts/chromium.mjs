// Debian's Chromium, headless, with the flags this machine needs (no sandbox as root, no
// GPU, no background network traffic), driven by playwright-core. CHROMIUM overrides the path.
import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
