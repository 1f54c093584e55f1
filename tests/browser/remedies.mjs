// Quiet weeks, recovery leave and policy checks in a real browser: a lead
// plans a quiet week and recovery leave for their team on /plans, reads the
// explanation, downloads each plan's calendar, sees why an impossible
// recovery plan fails and what would make it hold, and views /check; a
// member sees her own plans and checks without the forms. Each page must
// fit a phone and its screenshot must not be trivial.
// Usage: node remedies.mjs BASE_URL OUT_DIR (OUT_DIR receives quiet.ics,
// recovery.ics and the screenshots for the shell's checks).
import { check, finish, openBrowser, pageWidth, screenshot, signIn as signInAt,
         signOut as signOutAt } from './lib.mjs';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [base, out] = process.argv.slice(2);
const { outside, close, context } = await openBrowser(base, { acceptDownloads: true });
const signIn = (page, login, password) => signInAt(page, base, login, password);
const signOut = (page) => signOutAt(page, base);

async function download(page, selector, name) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const text = readFileSync(await d.path(), 'utf8');
  writeFileSync(join(out, name), text);
  return text;
}

try {
  const page = await context.newPage();

  console.log('lead plans a quiet week');
  await signIn(page, 'lee', 'lee-password');
  await page.goto(base + '/plans?team=alpha');
  check(await page.locator('#no-quiet').count() === 1, 'no quiet week yet');
  await Promise.all([page.waitForSelector('#result'), page.click('#run-quiet')]);
  check(await page.locator('#quiet-weeks tr.chosen').count() === 1, 'one week is chosen');
  const costs = await page.locator('#quiet-weeks tbody tr').count();
  check(costs >= 7, `every candidate week is explained (${costs})`);
  check(await page.locator('#cancelled').count() === 1 && await page.locator('#external').count() === 1,
        'the meetings cancelled and left are listed');
  check(await pageWidth(page) <= 390, `the quiet plan fits a phone (${await pageWidth(page)}px)`);
  await screenshot(page, out, 'quiet.png');
  const quiet = await download(page, '#result-ics', 'quiet.ics');
  check((quiet.match(/BEGIN:VEVENT/g) || []).length === 2 && quiet.includes('SUMMARY:Quiet week (alpha)'),
        'the quiet week calendar has an event for each of the two members');

  console.log('lead plans recovery leave');
  await page.goto(base + '/plans?team=alpha');
  check(await page.locator('#quiet-plans tbody tr').count() === 1, 'the quiet plan is recorded');
  await page.fill('#r-project', 'launch');
  await Promise.all([page.waitForSelector('#result'), page.click('#run-recovery')]);
  const leave = await page.locator('#recovery-leave tbody tr').allTextContents();
  check(leave.length === 2 && leave.some((r) => r.startsWith('A One')), `the leave table: ${leave}`);
  check(await pageWidth(page) <= 390, `the recovery plan fits a phone (${await pageWidth(page)}px)`);
  await screenshot(page, out, 'recovery.png');
  const recovery = await download(page, '#result-ics', 'recovery.ics');
  check((recovery.match(/BEGIN:VEVENT/g) || []).length === 2 &&
        recovery.includes('Recovery leave after launch'), 'the leave calendar has both members');

  console.log('an impossible recovery plan says why');
  await page.goto(base + '/plans?team=alpha');
  await page.fill('#r-project', 'marathon');
  await page.fill('#r-days', '20');
  await page.fill('#r-window', '1');
  await Promise.all([page.waitForSelector('#result'), page.click('#run-recovery')]);
  check(await page.locator('#why').count() === 1 && await page.locator('#suggestion').count() === 1,
        'the reason and what would make it hold');

  console.log('lead views the policy check');
  await page.goto(base + '/check?preset=eu-wtd&weeks=3&to=2026-11-23');
  const rows = await page.locator('#violations tbody tr').allTextContents();
  check(rows.length >= 1 && rows.every((r) => r.includes('a1')), `a1's violations: ${rows}`);
  check(await pageWidth(page) <= 390, `the check page fits a phone (${await pageWidth(page)}px)`);
  await screenshot(page, out, 'check.png');
  await page.selectOption('#preset', 'who-55');
  await Promise.all([page.waitForURL(/preset=who-55/), page.click('#run-check')]);
  check((await page.locator('#summary').textContent()).includes('who-55'), 'the form changes the preset');
  await signOut(page);

  console.log('member');
  await signIn(page, 'ana', 'ana-password');
  await page.goto(base + '/plans?team=alpha');
  check(await page.locator('#quiet-form').count() === 0 && await page.locator('#recovery-form').count() === 0,
        'a member has no plan forms');
  check(await page.locator('#quiet-plans tbody tr').count() === 1, 'she sees the quiet plan');
  const mine = await download(page, '#quiet-plans a.ics >> nth=0', 'quiet-member.ics');
  check((mine.match(/BEGIN:VEVENT/g) || []).length === 1 && !mine.includes('A Three'),
        'her quiet week calendar holds her own week only');
  await page.goto(base + '/check?preset=eu-wtd&weeks=3&to=2026-11-23');
  const own = await page.locator('#violations tbody tr').allTextContents();
  check(own.length >= 1 && own.every((r) => r.includes('a1')), `her own violations: ${own}`);
  await signOut(page);
  check(outside.length === 0, `nothing fetched from outside: ${outside.join(' ')}`);
} finally {
  await close();
}
finish('quiet weeks, recovery leave and check pages passed');
