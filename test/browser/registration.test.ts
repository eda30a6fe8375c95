import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSeries, makeSession, unique } from '../support/factories.ts';
import { launchBrowser, seriousA11yViolations } from '../support/browser.ts';
import { testServer } from '../support/server.ts';
import { startSmtp } from '../support/smtp.ts';
import type { Running } from '../../src/server/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let srv: Running;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'web', 'dist', 'registration.js')))
    await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
  smtp = await startSmtp();
  srv = await testServer({ SMTP_URL: smtp.url, COLLOQUY_JOBS: '0' });
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = srv.app.server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
  await smtp?.close();
});

describe('registration in the browser', () => {
  it('registers from the public session page in French from Lima, and the confirmation page and e-mail show the local time', async () => {
    const s = await makeSeries(srv.ctx.db, { registrationMode: 'session' });
    const sessionId = await makeSession(srv.ctx.db, s, { capacity: 50 });
    // 15:00 UTC is 10:00 in Lima (UTC−5, no daylight saving time).
    const start = new Date(Date.now() + 10 * 86400_000);
    start.setUTCHours(15, 0, 0, 0);
    await srv.ctx.db
      .updateTable('session')
      .set({ starts_at: start.toISOString(), ends_at: new Date(start.getTime() + 90 * 60_000).toISOString() })
      .where('id', '=', sessionId)
      .execute();
    srv.ctx.invalidate();

    const context = await browser.newContext({ timezoneId: 'America/Lima', locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(`${base}/series/${s.slug}/sessions/${sessionId}`);
    expect(await page.locator(`a[href$="/sessions/${sessionId}.ics"]`).count()).toBe(1);
    await page.click('a.button[href*="/register"]');
    await page.waitForSelector('form[action$="/register"]');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    // The zone is filled by a deferred module script: wait for it rather than race it.
    await page.waitForFunction(
      () => document.querySelector<HTMLInputElement>('input[name=timeZone]')?.value !== '',
      undefined,
      { timeout: 10_000 },
    );
    expect(await page.inputValue('input[name=timeZone]')).toBe('America/Lima');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // A mistake first: the message appears next to the field, in French.
    const email = `${unique('lucia')}@example.org`;
    await page.fill('#f-name', 'Lucía Paredes');
    await page.fill('#f-email', 'lucia-at-example.org');
    await page.selectOption('#f-country', 'PE');
    await page.selectOption('#f-a_career_stage', 'new');
    await page.check('#f-consent');
    await page.click('button[type=submit]');
    await page.waitForSelector('#f-email-err');
    expect(await page.textContent('#f-email-err')).toContain('Saisissez une adresse valide');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.fill('#f-email', email);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/registrations\//);
    const confirmation = await page.textContent('main');
    expect(confirmation).toContain('Vous êtes inscrit·e');
    expect(confirmation).toContain('Votre heure (America/Lima)');
    expect(confirmation).toMatch(/10:00 – 11:30 UTC−5/);
    expect(confirmation).toMatch(/15:00 – 16:30 UTC/);
    expect(await seriousA11yViolations(page)).toEqual([]);

    const [mail] = (await smtp.waitFor(1)).filter((m) => m.to.includes(email));
    expect(mail.subject).toMatch(/^Inscription confirmée/);
    expect(mail.text).toContain('Votre heure (America/Lima)');
    expect(mail.text).toMatch(/10:00 – 11:30 UTC−5/);
    expect(mail.calendars[0].content).toContain(
      `DTSTART:${start.toISOString().replace(/[-:]/g, '').replace('.000', '')}`,
    );
    await context.close();
  });
});
