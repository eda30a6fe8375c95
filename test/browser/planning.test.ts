import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { launchBrowser, seriousA11yViolations } from '../support/browser.ts';
import { makeAccount, PASSWORD, unique } from '../support/factories.ts';
import { testServer } from '../support/server.ts';
import { ensureWebBuilt } from '../support/web.ts';

let srv: Running;
let browser: Browser;
let base: string;

beforeAll(async () => {
  await ensureWebBuilt();
  srv = await testServer();
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = srv.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

describe('planning a series in the browser', () => {
  it('an admin creates a series with sessions in two zones; a visitor in a third zone sees both right', async () => {
    const admin = await makeAccount(srv.ctx.db, { admin: true, name: 'Ada Admin' });
    const ctx = await browser.newContext({ timezoneId: 'Europe/Paris', locale: 'en-GB' });
    const page = await ctx.newPage();
    await page.goto(`${base}/login`);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByLabel('E-mail address').fill(admin.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/console`);

    await page.getByRole('link', { name: 'New series' }).click();
    const slug = unique('browser').toLowerCase();
    await page.getByLabel('Title').fill('Leaders across time zones');
    await page.getByLabel('Short name for the address').fill(slug);
    await page.getByLabel('Visibility').selectOption('published');
    await page.getByRole('button', { name: 'Create series' }).click();
    await page.waitForURL(/\/console\/series\/[0-9a-f-]+\?saved=created$/);
    await page.getByText('The series was created.').waitFor();

    // First session: Singapore, 23 March 2027 at 13:00 local (05:00 UTC).
    await page.getByRole('link', { name: 'Add the first session' }).click();
    await page.getByLabel('Region').selectOption('asia_oceania');
    await page.getByLabel('Title').fill('Asia-Oceania webinar');
    await page.getByLabel('Starts').fill('2027-03-23T13:00');
    await page.getByLabel('Ends').fill('2027-03-23T14:30');
    await page.getByLabel('Time zone of these times').fill('Asia/Singapore');
    await page.getByRole('button', { name: 'Add session' }).click();
    await page.waitForURL(/\/sessions\?saved=session_added$/);

    // A mistake first: an end before the start is shown next to the field.
    await page.getByRole('link', { name: 'Add a session' }).click();
    await page.getByLabel('Region').selectOption('latin_america_caribbean');
    await page.getByLabel('Title').fill('Latin America webinar');
    await page.getByLabel('Starts').fill('2027-04-27T10:00');
    await page.getByLabel('Ends').fill('2027-04-27T09:00');
    await page.getByLabel('Time zone of these times').fill('America/Lima');
    await page.getByRole('button', { name: 'Add session' }).click();
    await expect
      .poll(() => page.locator('#f-endsAt-err').textContent())
      .toContain('must end after it starts');
    expect(await page.locator('#f-endsAt').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Ends').fill('2027-04-27T11:30');
    await page.getByRole('button', { name: 'Add session' }).click();
    await page.waitForURL(/\/sessions\?saved=session_added$/);
    await ctx.close();

    // A visitor in Nairobi (UTC+3) sees 08:00 and 18:00 on the public page.
    const visitor = await browser.newContext({ timezoneId: 'Africa/Nairobi', locale: 'en-GB' });
    const v = await visitor.newPage();
    await v.goto(`${base}/series/${slug}`);
    const times = v.locator('time[data-local]');
    await expect.poll(async () => (await times.allTextContents()).join(' | ')).toContain('GMT+3');
    const texts = await times.allTextContents();
    expect(texts[0]).toMatch(/23 Mar 2027.*\b8:00/);
    expect(texts[1]).toMatch(/27 Apr 2027.*\b6:00/);
    // The organisers' zones are shown too.
    const body = await v.locator('main').textContent();
    // The organisers' local times: 1:00 pm in Singapore (GMT+8), 10:00 am in Lima (GMT-5).
    expect(body).toMatch(/\b1:00\s*(–[^(]*)?pm[^]*GMT\+8|GMT\+8[^]*\b1:00/);
    expect(body).toMatch(/\b10:00/);
    expect(await seriousA11yViolations(v)).toEqual([]);
    await visitor.close();
  });

  it('without JavaScript the page shows UTC and the organisers’ zone, and the zone form still works', async () => {
    const admin = await makeAccount(srv.ctx.db, { admin: true });
    const { createSeries, createSession } = await import('../../src/modules/series/index.ts');
    const slug = unique('nojs').toLowerCase();
    const id = await createSeries(srv.ctx.db, admin, {
      slug,
      title: 'No JS',
      description: '',
      guidingQuestions: [],
      languages: ['en'],
      timeZone: 'UTC',
      registrationMode: 'series',
      retentionDays: 30,
      status: 'published',
    });
    await createSession(srv.ctx.db, admin, id, {
      regionKey: 'europe',
      title: 'Paris',
      description: '',
      startsAt: '2027-06-01T18:00',
      endsAt: '2027-06-01T19:00',
      timeZone: 'Europe/Paris',
      language: 'fr',
    });
    const ctx = await browser.newContext({ javaScriptEnabled: false, timezoneId: 'Asia/Tokyo' });
    const p = await ctx.newPage();
    await p.goto(`${base}/series/${slug}`);
    expect(await p.locator('time[data-local]').textContent()).toMatch(/\b4:00.*UTC/);
    expect(await p.locator('main').textContent()).toMatch(/\b6:00/);
    await p.getByLabel('Show times in this time zone').fill('Asia/Tokyo');
    await p.getByRole('button', { name: 'Show' }).click();
    await p.waitForURL(/tz=Asia/);
    expect(await p.locator('time[data-local]').textContent()).toMatch(/2 Jun 2027, 1:00.*GMT\+9/);
    await ctx.close();
  });
});
