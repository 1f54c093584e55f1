// The rota, calendar and organisation pages in a real browser: a lead plans
// an on-call rota on the rota page and downloads its calendar; a member
// makes a calendar address and the address, fetched without a cookie, holds
// her turns; people-ops see the organisation page with no person's name on
// it. A screenshot of each page is kept and must not be trivial.
// Usage: node rota_org.mjs BASE_URL OUT_DIR (OUT_DIR receives plan.ics,
// feed.ics and the screenshots for the shell's checks).
import { check, finish, openBrowser, signIn as signInAt, signOut as signOutAt } from './lib.mjs';
import { statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, out] = process.argv.slice(2);
const { outside, close, context } = await openBrowser(base, { acceptDownloads: true });

const signIn = (page, login, password) => signInAt(page, base, login, password);
const signOut = (page) => signOutAt(page, base);
async function shot(page, name) {
  const path = join(out, name);
  await page.screenshot({ path, fullPage: true });
  if (process.env.WARAS_SHOTS) await page.screenshot({ path: join(process.env.WARAS_SHOTS, name), fullPage: true });
  const size = statSync(path).size;
  check(size > 12000, `the ${name} screenshot is not trivial (${size} bytes)`);
}

try {
  const page = await context.newPage();

  console.log('lead plans a rota');
  await signIn(page, 'lee', 'lee-password');
  await page.goto(base + '/rota?team=alpha');
  check(await page.locator('#noplans').count() === 1, 'no plan yet');
  await page.fill('#weeks', '4');
  await page.fill('#roles', 'primary');
  await page.fill('#max_share', '50');
  await Promise.all([page.waitForURL(/\/rota\?team=alpha&plan=[0-9]+$/), page.click('#run')]);
  const fair = await page.locator('#fairness tbody tr').allTextContents();
  check(fair.length === 2 && fair.some((r) => r.startsWith('A One')) &&
        fair.some((r) => r.startsWith('A Three')), `the fairness table: ${fair}`);
  check(fair.every((r) => r.includes('2')), `two turns each: ${fair}`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 390, `the rota page fits a phone (${width}px)`);
  await shot(page, 'rota.png');
  const [download] = await Promise.all([page.waitForEvent('download'),
                                        page.click('#plans a.ics >> nth=0')]);
  const plan = readFileSync(await download.path(), 'utf8');
  writeFileSync(join(out, 'plan.ics'), plan);
  check(plan.startsWith('BEGIN:VCALENDAR') && (plan.match(/BEGIN:VEVENT/g) || []).length === 4,
        'the downloaded calendar has the four turns');
  await signOut(page);

  console.log('member subscribes');
  await signIn(page, 'ana', 'ana-password');
  await page.goto(base + '/rota?team=alpha');
  check(await page.locator('#plan-form').count() === 0, 'a member has no plan form');
  const mine = await page.locator('#fairness tbody tr').allTextContents();
  check(mine.length === 1 && mine[0].startsWith('A One'), `the member sees her own row: ${mine}`);
  await page.goto(base + '/calendar');
  check(await page.locator('#cal-none').count() === 1, 'no address yet');
  await page.click('#cal-new');
  await page.waitForLoadState();
  const url = (await page.locator('#cal-url').textContent()).trim();
  check(/^http:\/\/127\.0\.0\.1:[0-9]+\/cal\/wrc_[0-9a-f]{64}\.ics$/.test(url), `the address: ${url}`);
  await shot(page, 'calendar.png');
  const r = await fetch(url); // no cookie: as a calendar app fetches it
  const feed = await r.text();
  writeFileSync(join(out, 'feed.ics'), feed);
  check(r.status === 200 && (feed.match(/SUMMARY:On call \(primary\)\r\n/g) || []).length === 2,
        'the subscription holds her two turns');
  check(!feed.includes('A Three'), 'and nobody else');
  await page.goto(base + '/calendar');
  check(await page.locator('#cal-url').count() === 0 && await page.locator('#cal-active').count() === 1,
        'the address is shown once');
  await signOut(page);

  console.log('people-ops');
  await signIn(page, 'ops', 'ops-password');
  await page.goto(base + '/org');
  const rows = await page.locator('#org tbody tr').allTextContents();
  check(rows.length >= 2 && rows[rows.length - 1].startsWith('Organisation'),
        `the organisation table: ${rows.length} rows`);
  const firsts = await page.locator('#org tbody tr td:first-child').allTextContents();
  check(firsts.every((c) => ['alpha', 'beta', 'hr', 'Organisation'].includes(c)),
        `every row is a group: ${firsts}`);
  const orgPage = await page.content();
  for (const name of ['A One', 'A Three', 'B One', 'H One', '70.8'])
    check(!orgPage.includes(name), `the organisation page holds ${name}`);
  await shot(page, 'org.png');
  check(outside.length === 0, `nothing fetched from outside: ${outside.join(' ')}`);
} finally {
  await close();
}
finish('rota, calendar and organisation checks passed');
