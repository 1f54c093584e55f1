// The "my weeks" page in a real browser (Debian's chromium driven by
// playwright-core): a member and a lead sign in through the form, each sees
// their own weeks and only their own survey scores, a POST without the CSRF
// token is refused and changes nothing, the page fits a phone-width screen,
// nothing is fetched from anywhere but the service, and a screenshot of the
// page is not empty. The lead's team page draws the report's three charts
// as inline SVG (hours heatmap, interruptions by window in yellow, orange
// and red, on-call against the fair share) with the suggestions, and the
// header links only to pages the role may open.
// Usage: node my_week.mjs BASE_URL OUT_DIR
import { check, finish, openBrowser, signIn as signInAt, signOut as signOutAt } from './lib.mjs';
import { statSync } from 'node:fs';
import { join } from 'node:path';

const [base, out] = process.argv.slice(2);
const { outside, close, context } = await openBrowser(base);

async function signIn(page, login, password) {
  await signInAt(page, base, login, password);
  await page.goto(base + '/?to=2026-11-23');
}

try {
  const page = await context.newPage();

  console.log('member');
  await page.goto(base + '/login');
  await page.fill('#login', 'ana');
  await page.fill('#password', 'wrong-password-1');
  await Promise.all([
    page.waitForResponse((r) => r.url() === base + '/login' && r.request().method() === 'POST'),
    page.click('button[type=submit]'),
  ]);
  await page.waitForLoadState();
  check((await page.locator('#error').textContent()) === 'Wrong login or password.',
        'a wrong password shows the error on the form');
  await signIn(page, 'ana', 'ana-password');
  check((await page.locator('#who').textContent()) === 'ana (member)', 'signed in as ana');
  check((await page.locator('#me').textContent()).startsWith('A One, team alpha'), 'own name');
  check(await page.locator('#weeks tbody tr').count() === 8, 'eight weeks');
  const w47 = await page.locator('#weeks tbody tr').first().textContent();
  check(w47.startsWith('2026-W47') && w47.includes('25.5'), `W47 hours shown: ${w47}`);
  check(/critical|high|moderate/.test(await page.locator('#latest').textContent()),
        'the latest load risk is raised, with a level');
  check((await page.locator('#latest li').count()) >= 1, 'the risk comes with reasons');
  const wb = await page.locator('#wellbeing').textContent();
  check(wb.includes('personal 70.8') && wb.includes('work-related 75.0'), 'own scores shown');
  check(await page.locator('#chart-interruptions svg[aria-label="Interruptions by window"][viewBox]').count() === 1,
        'my weeks draws my interruptions as an inline SVG');
  const memberNav = await page.locator('#nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check(memberNav.includes('/check') && memberNav.includes('/') &&
        !memberNav.some((h) => h.startsWith('/admin') || h.startsWith('/team') || h === '/org'),
        `a member's header links only to a member's pages: ${memberNav}`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 390, `the page fits a phone (${width}px)`);
  const shot = join(out, 'member.png');
  await page.screenshot({ path: shot, fullPage: true });
  if (process.env.WARAS_SHOTS) await page.screenshot({ path: join(process.env.WARAS_SHOTS, "member.png"), fullPage: true });
  check(statSync(shot).size > 15000, `the screenshot is not empty (${statSync(shot).size} bytes)`);

  console.log('csrf');
  const refused = await page.evaluate(async () => {
    const r = await fetch('/logout', { method: 'POST' });
    return [r.status, (await r.json()).error.code];
  });
  check(refused[0] === 403 && refused[1] === 'csrf', `CSRF-less POST refused: ${refused}`);
  const forged = await page.evaluate(async () => {
    const r = await fetch('/logout', { method: 'POST', body: 'csrf=' + '0'.repeat(64),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    return r.status;
  });
  check(forged === 403, 'a wrong CSRF token is refused');
  await page.reload();
  check((await page.locator('#who').count()) === 1, 'still signed in after the refused POSTs');
  const cookies = await context.cookies(base);
  const sess = cookies.find((c) => c.name === 'waras_session');
  check(sess && sess.httpOnly && sess.sameSite === 'Strict', 'the session cookie is HttpOnly, Strict');
  check(await page.evaluate(() => document.cookie) === '', 'scripts cannot read the cookie');
  await Promise.all([page.waitForURL(base + '/login'), page.click('header button')]);
  await page.goto(base + '/');
  check(page.url() === base + '/login', 'signed out');

  console.log('lead');
  await signIn(page, 'lee', 'lee-password');
  check((await page.locator('#who').textContent()) === 'lee (lead)', 'signed in as lee');
  check((await page.locator('#me').textContent()).startsWith('A Three, team alpha'), 'the lead sees their own weeks');
  check((await page.locator('#teams').textContent()) === 'alpha', 'the teams they lead');
  const body = await page.content();
  check(!body.includes('70.8') && !body.includes('75.0'), "a1's scores are not on the lead's page");
  const api = await page.evaluate(async () => {
    const r = await fetch('/api/v1/report?person=a1&weeks=1&to=2026-11-23');
    const d = await r.json();
    return [r.status, d.people[0].weeks[0].wellbeing, JSON.stringify(d).includes('70.83')];
  });
  check(api[0] === 200 && api[1] === null && api[2] === false,
        `the lead reads a1's work data without her scores: ${api}`);
  const other = await page.evaluate(async () =>
    (await fetch('/api/v1/report?person=b1&weeks=1&to=2026-11-23')).status);
  check(other === 403, 'another team is refused');
  console.log('team page');
  await Promise.all([page.waitForURL(/\/team\?team=alpha$/), page.click('#teams a')]);
  await page.goto(base + '/team?team=alpha&to=2026-11-23');
  check(await page.locator('#heatmap tbody tr').count() === 2, 'the heatmap has the two people');
  const riskRows = await page.locator('#risk tbody tr').allTextContents();
  check(riskRows.length === 2 && riskRows[0].startsWith('A One'), `strongest risk first: ${riskRows[0]}`);
  check(await page.locator('#heatmap td.h0').count() >= 1, 'the heatmap is shaded');
  for (const [id, label] of [['chart-hours', 'Worked hours per person and week'],
                             ['chart-interruptions', 'Interruptions by window'],
                             ['chart-oncall', 'On-call hours against the fair share']]) {
    const svg = page.locator(`#${id} > svg[role="img"][aria-label="${label}"]`);
    check(await svg.count() === 1, `the team page draws "${label}" as an inline SVG`);
    check(/^0 0 \d+ \d+$/.test(await svg.getAttribute('viewBox') || ''), `${id} scales (viewBox)`);
    const box = await svg.boundingBox();
    check(box && box.width > 100 && box.width <= 390, `${id} fits the phone (${box && box.width}px)`);
  }
  check(await page.locator('#chart-hours svg rect').count() === 2 * 8, 'the heatmap has a cell per person and week');
  const legend = await page.locator('#chart-interruptions .legend span').evaluateAll(
    (ss) => ss.map((s) => getComputedStyle(s).backgroundColor));
  check(JSON.stringify(legend) === JSON.stringify(['rgb(250, 204, 21)', 'rgb(249, 115, 22)', 'rgb(220, 38, 38)']),
        `business yellow, off orange, sleep red: ${legend}`);
  if (/high|critical/.test(riskRows[0])) {
    const sug = await page.locator('#suggestions li').allTextContents();
    check(sug.length >= 1 && sug[0].startsWith('a1 ('), `the team page shows the suggestions: ${sug[0]}`);
    check(!sug.some((t) => t.includes('--db')), 'suggested commands name no store');
  }
  const leadNav = await page.locator('#nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  check(leadNav.includes('/team?team=alpha') && leadNav.includes('/plans?team=alpha') &&
        leadNav.includes('/org') && !leadNav.includes('/admin'),
        `a lead's header links to the team and the organisation: ${leadNav}`);
  const teamPage = await page.content();
  check(!teamPage.includes('70.8') && !teamPage.includes('75.0'), "a1's scores are not on the team page");
  check((await page.locator('#team-wellbeing').textContent()).startsWith('Suppressed: 2 respondents'),
        'the team aggregate is suppressed under min_group');
  const tw = await page.evaluate(() => document.documentElement.scrollWidth);
  check(tw <= 390, `the team page fits a phone (${tw}px)`);
  await page.screenshot({ path: join(out, 'lead.png'), fullPage: true });
  if (process.env.WARAS_SHOTS) await page.screenshot({ path: join(process.env.WARAS_SHOTS, 'lead.png'), fullPage: true });
  check(outside.length === 0, `nothing fetched from outside: ${outside.join(' ')}`);
} finally {
  await close();
}
finish('browser checks passed');
