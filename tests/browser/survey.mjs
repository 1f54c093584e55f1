// The survey in a real browser: a lead opens a round on /survey/open; a
// member fills in the 19 items, sees her three scores at once and her trend,
// changes an answer and sees the new scores; the lead sees no member's
// scores while the round is open. A screenshot of the survey page is kept
// and must not be trivial.
// Usage: node survey.mjs BASE_URL OUT_DIR
import { check, finish, openBrowser, signIn as signInAt, signOut as signOutAt } from './lib.mjs';
import { statSync } from 'node:fs';
import { join } from 'node:path';

const [base, out] = process.argv.slice(2);
const { outside, close, context } = await openBrowser(base);

const signIn = (page, login, password) => signInAt(page, base, login, password);
const signOut = (page) => signOutAt(page, base);
async function scores(page) {
  const out = {};
  for (const td of await page.locator('#my-scores td.score').all())
    out[await td.getAttribute('data-scale')] = parseFloat(await td.textContent());
  return out;
}

try {
  const page = await context.newPage();

  console.log('lead opens a round');
  await signIn(page, 'lee', 'lee-password');
  await page.goto(base + '/survey/open');
  check((await page.inputValue('input[name=teams]')) === 'alpha', 'the lead\'s team is proposed');
  await Promise.all([page.waitForURL(/\/survey\?round=[0-9]+$/), page.click('#open-form button')]);
  const round = new URL(page.url()).searchParams.get('round');
  check(await page.locator('#rounds li').count() === 1, 'the round is listed');
  check(await page.locator('#results-later').count() === 1, 'results come after the close');
  await signOut(page);

  console.log('member answers');
  await signIn(page, 'ana', 'ana-password');
  await page.goto(base + '/survey');
  check(new URL(page.url()).pathname === '/survey', 'the survey page');
  const who = await page.locator('#who-sees').textContent();
  check(who.includes('only you see them') && who.includes('after the round has closed') &&
        who.includes('Admins see no survey data'), 'the page says who sees what');
  check(await page.locator('fieldset.item').count() === 19, 'the form has 19 items');
  check((await page.locator('#item-q1').textContent()).includes('Never/almost never'),
        'frequency wording for q1');
  check((await page.locator('#item-q7').textContent()).includes('To a very high degree'),
        'degree wording for q7');
  // Every item "Often" (75), q13 (reverse-scored) "Seldom": every scale 75.
  for (let i = 1; i <= 19; i++)
    await page.check(`input[name=q${i}][value="${i === 13 ? 25 : 75}"]`);
  await Promise.all([page.waitForURL(new RegExp(`/survey\\?round=${round}$`)),
                     page.click('#survey-form button[type=submit]')]);
  let s = await scores(page);
  check(s.personal === 75 && s.work === 75 && s.client === 75, `her scores: ${JSON.stringify(s)}`);
  check(await page.locator('#trend tbody tr').count() === 2, 'her trend: the imported and this round');
  check(await page.locator('input[name=q1][value="75"]:checked').count() === 1,
        'the form keeps her answers');
  await page.screenshot({ path: join(out, 'survey.png'), fullPage: true });
  if (process.env.WARAS_SHOTS)
    await page.screenshot({ path: join(process.env.WARAS_SHOTS, 'survey.png'), fullPage: true });
  const size = statSync(join(out, 'survey.png')).size;
  check(size > 20000, `the survey screenshot is not trivial (${size} bytes)`);
  // She changes one answer: q1 "Never/almost never" makes personal 62.5.
  await page.check('input[name=q1][value="0"]');
  await Promise.all([page.waitForURL(new RegExp(`/survey\\?round=${round}$`)),
                     page.click('#survey-form button[type=submit]')]);
  s = await scores(page);
  check(s.personal === 62.5 && s.work === 75, `her new scores: ${JSON.stringify(s)}`);
  check(await page.locator('#trend tbody tr').count() === 2, 'still one response in the round');
  await signOut(page);

  console.log('the lead sees no member\'s scores');
  await signIn(page, 'lee', 'lee-password');
  await page.goto(base + `/survey?round=${round}`);
  const html = await page.content();
  check(!html.includes('62.5') && await page.locator('#results').count() === 0,
        'no member score and no results while open');
  check(outside.length === 0, `nothing fetched from outside: ${outside.join(' ')}`);
} finally {
  await close();
}
finish('survey checks passed');
