// What every browser test shares: Debian's chromium through playwright-core
// in a fresh profile at phone width (never a downloaded browser, no
// background traffic), a record of any request that leaves the service, the
// checks and their verdict, and signing in and out through the form.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const failures = [];

export function check(cond, what) {
  if (!cond) {
    failures.push(what);
    console.log('  not ok:', what);
  }
}

// The browser, with `outside` collecting every URL not under base. close()
// ends chromium and removes its profile. extra adds launch options.
export async function openBrowser(base, extra = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'waras-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 390, height: 844 }, // a phone
    ...extra,
  });
  const outside = [];
  context.on('request', (r) => { if (!r.url().startsWith(base)) outside.push(r.url()); });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, outside, close };
}

export async function signIn(page, base, login, password) {
  await page.goto(base + '/login');
  await page.fill('#login', login);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(base + '/'), page.click('button[type=submit]')]);
}

export async function signOut(page, base) {
  await Promise.all([page.waitForURL(base + '/login'), page.click('header button')]);
}

// Exits 1 when any check failed; prints passed otherwise.
export function finish(passed) {
  if (failures.length) {
    console.log(`${failures.length} browser checks failed`);
    process.exit(1);
  }
  console.log(passed);
}

// A full-page screenshot of page as out/name (and in $WARAS_SHOTS when
// set), checked to be more than min bytes, so that a blank page fails.
export async function screenshot(page, out, name, min = 12000) {
  const { statSync } = await import('node:fs');
  const path = join(out, name);
  await page.screenshot({ path, fullPage: true });
  if (process.env.WARAS_SHOTS)
    await page.screenshot({ path: join(process.env.WARAS_SHOTS, name), fullPage: true });
  const size = statSync(path).size;
  check(size > min, `the ${name} screenshot is not trivial (${size} bytes)`);
}

// The width of the page's content, which must not exceed a phone's.
export async function pageWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
