// The admins' page in a real browser: an admin adds a user on /admin, sets
// the user's password (the user then signs in with it), creates an API token
// that is shown once and works, revokes it (it then gets 401) and removes
// the user; no password or token hash is ever on the page. A file chosen in
// the upload form is loaded (the same file again is then already stored), and
// a bad file shows the CLI's message (NAME:LINE: ...). A member who
// opens /admin gets 403. A screenshot of the page is kept and must not be
// trivial.
// Usage: node admin.mjs BASE_URL OUT_DIR
import { check, finish, openBrowser, signIn as signInAt, signOut as signOutAt } from './lib.mjs';
import { statSync } from 'node:fs';
import { join } from 'node:path';

const [base, out] = process.argv.slice(2);
const { outside, close, context } = await openBrowser(base);

const signIn = (page, login, password) => signInAt(page, base, login, password);
const signOut = (page) => signOutAt(page, base);
const userRow = (page, login) => page.locator('#users li.user', {
  has: page.locator('.login', { hasText: new RegExp(`^${login}$`) }) });
const apiPeople = (token) => context.request.get(base + '/api/v1/people', {
  headers: { Authorization: 'Bearer ' + token } });

try {
  const page = await context.newPage();

  console.log('a member cannot open /admin');
  await signIn(page, 'ana', 'ana-password');
  let r = await page.goto(base + '/admin');
  check(r.status() === 403, `the member's /admin: ${r.status()}`);
  check(!(await page.content()).includes('id="users"'), 'no user list for a member');
  await page.goto(base + '/');
  await signOut(page);

  console.log('the admin adds a user');
  await signIn(page, 'root', 'root-password');
  r = await page.goto(base + '/admin');
  check(r.status() === 200, `the admin's /admin: ${r.status()}`);
  for (const login of ['ana', 'lee', 'ops', 'root'])
    check(await userRow(page, login).count() === 1, `${login} is listed`);
  await page.fill('#u-login', 'newbie');
  await page.selectOption('#u-role', 'member');
  await page.fill('#u-person', 'b1');
  await page.fill('#u-password', 'newbie-first-password');
  await Promise.all([page.waitForURL(base + '/admin'), page.click('#add-user button')]);
  const row = userRow(page, 'newbie');
  check(await row.count() === 1, 'the new user is listed');
  check((await row.textContent()).includes('b1') && (await row.textContent()).includes('member'),
        'with role and person');

  console.log('a new password');
  await row.locator('input[name=password]').fill('newbie-second-password');
  await Promise.all([page.waitForURL(base + '/admin'), row.locator('button.set-password').click()]);
  await signOut(page);
  await signIn(page, 'newbie', 'newbie-second-password');
  check((await page.locator('#who').textContent()).includes('newbie'), 'newbie signs in with it');
  await signOut(page);
  await signIn(page, 'root', 'root-password');
  await page.goto(base + '/admin');

  console.log('a token, shown once');
  await page.fill('#t-login', 'newbie');
  await page.fill('#t-name', 'laptop');
  await page.fill('#t-days', '7');
  await Promise.all([page.waitForURL(base + '/admin/tokens'), page.click('#add-token button')]);
  const token = (await page.locator('#new-token').textContent()).trim();
  check(/^wrs_[0-9a-f]{64}$/.test(token), `the token is shown: ${token.slice(0, 8)}`);
  r = await apiPeople(token);
  check(r.status() === 200, `the new token works: ${r.status()}`);
  await page.goto(base + '/admin');
  let html = await page.content();
  check(!html.includes(token.slice(4)), 'the token is not shown again');
  check(!html.includes('$argon2'), 'no password hash on the page');
  const tokenRow = page.locator('#tokens tbody tr', {
    has: page.locator('td.name', { hasText: /^laptop$/ }) });
  check(await tokenRow.count() === 1, 'the token is listed');
  check((await tokenRow.locator('td.state').textContent()) === 'active', 'active');
  await page.screenshot({ path: join(out, 'admin.png'), fullPage: true });
  const size = statSync(join(out, 'admin.png')).size;
  check(size > 20000, `the admin screenshot is not trivial (${size} bytes)`);

  console.log('revoked');
  await Promise.all([page.waitForURL(base + '/admin'), tokenRow.locator('button.revoke').click()]);
  check((await tokenRow.locator('td.state').textContent()) === 'revoked', 'listed as revoked');
  r = await apiPeople(token);
  check(r.status() === 401, `the revoked token is refused: ${r.status()}`);

  console.log('a file through the upload form');
  await page.selectOption('#i-kind', 'people');
  await page.setInputFiles('#i-file', { name: 'more-people.csv', mimeType: 'text/csv',
    buffer: Buffer.from('id,name,email,team,timezone\nz9,Z Nine,z9@x.example,zeta,Europe/Berlin\n') });
  await Promise.all([page.waitForURL(base + '/admin/ingest'), page.click('#ingest button')]);
  const notice = (await page.locator('#notice').textContent()) || '';
  check(notice.startsWith('more-people.csv (people): 1 rows'), `the upload's notice: ${notice}`);
  await page.selectOption('#i-kind', 'people');
  await page.setInputFiles('#i-file', { name: 'more-people.csv', mimeType: 'text/csv',
    buffer: Buffer.from('id,name,email,team,timezone\nz9,Z Nine,z9@x.example,zeta,Europe/Berlin\n') });
  await Promise.all([page.waitForURL(base + '/admin/ingest'), page.click('#ingest button')]);
  const again = (await page.locator('#notice').textContent()) || '';
  check(again.includes('already loaded'), `the same file again is already stored: ${again}`);
  await page.selectOption('#i-kind', 'timesheet');
  await page.setInputFiles('#i-file', { name: 'bad.csv', mimeType: 'text/csv',
    buffer: Buffer.from('person,date,start,end,hours\na1,2026-13-01,08:00,17:00,\n') });
  await Promise.all([page.waitForURL(base + '/admin/ingest'), page.click('#ingest button')]);
  const err = (await page.locator('#error').textContent()) || '';
  check(err.startsWith('bad.csv:2:'), `a bad file's message names file and line: ${err}`);
  await page.goto(base + '/admin');

  console.log('removed');
  await Promise.all([page.waitForURL(base + '/admin'),
                     userRow(page, 'newbie').locator('button.remove').click()]);
  check(await userRow(page, 'newbie').count() === 0, 'the user is gone');
  check(await userRow(page, 'root').locator('button.remove').count() === 0,
        'the admin cannot remove their own account');
  html = await page.content();
  check(!html.includes('$argon2'), 'still no hash');
  check(outside.length === 0, `nothing fetched from outside: ${outside.join(' ')}`);
} finally {
  await close();
}
finish('admin checks passed');
