import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnapshot } from '../../src/modules/publishing/index.ts';
import { WEB_DIST } from '../../src/server/app.ts';
import type { Running } from '../../src/server/index.ts';
import { launchBrowser, seriousA11yViolations } from '../support/browser.ts';
import { grant, makeAccount, makeSeries, PASSWORD, unique } from '../support/factories.ts';
import { startSmtp, waitFor } from '../support/smtp.ts';
import { testServer } from '../support/server.ts';

let srv: Running;
let browser: Browser;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let base: string;

beforeAll(async () => {
  if (!existsSync(WEB_DIST))
    await build({
      configFile: new URL('../../web/vite.config.ts', import.meta.url).pathname,
      logLevel: 'warn',
    });
  smtp = await startSmtp();
  process.env.COMMENT_RATE_LIMIT = '1000';
  srv = await testServer({ SMTP_URL: smtp.url });
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(srv.app.server.address() as { port: number }).port}`;
  srv.ctx.config.publicUrl = base;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
  await smtp?.close();
});

describe('publishing in the browser', () => {
  it('publishes a post with findings, takes a visitor comment to approval and a reply, and mails the visitor', async () => {
    const db = srv.ctx.db;
    const series = await makeSeries(db);
    const coord = await makeAccount(db, { name: 'Cora Coordinator' });
    await grant(db, coord, series.id, 'coordinator');
    const snapshotId = await createSnapshot(db, {
      seriesId: series.id,
      title: 'Until May',
      engineVersion: 'test',
      result: {
        findings: [
          {
            kind: 'best_practice',
            text: 'Across the regions, mentoring and coaching are the top best practices.',
            quotes: [{ id: 'q1', text: 'My mentor opened doors for me', group: 'Europe' }],
          },
        ],
        kinds: {
          best_practice: {
            themes: [
              { id: 'm', label: 'Mentoring', count: 6, share: 0.55, low: 0.3, high: 0.75 },
              { id: 'c', label: 'Coaching', count: 4, share: 0.36, low: 0.15, high: 0.6 },
            ],
          },
        },
      },
    });

    // The coordinator writes, previews and publishes.
    const staff = await browser.newContext();
    const sp = await staff.newPage();
    await sp.goto(`${base}/login`);
    await sp.fill('#f-email', coord.email);
    await sp.fill('#f-password', PASSWORD);
    await sp.click('button[type=submit]');
    await sp.goto(`${base}/console/series/${series.id}/posts/new`);
    const slug = unique('findings').toLowerCase();
    await sp.fill('#f-title', 'What six regions told us');
    await sp.fill('#f-slug', slug);
    await sp.fill('#f-summary', 'Mentoring, teams, training.');
    await sp.fill('#f-bodyMd', '## Mentoring first\n\nAttendees named **mentoring** most often.');
    await sp.selectOption('#f-snapshotId', snapshotId);
    expect(await seriousA11yViolations(sp)).toEqual([]);
    await sp.click('button[value=preview]');
    await expect
      .poll(() => sp.locator('section[aria-label=Preview] h2:has-text("Mentoring first")').count())
      .toBe(1);
    await sp.selectOption('#f-status', 'published');
    await sp.click('button[value=save]');
    await sp.waitForURL(/\/console\/posts\/.+saved=1/);

    // A visitor reads it and comments, asking for reply notifications.
    const visitor = await browser.newContext();
    const vp = await visitor.newPage();
    await vp.goto(`${base}/series/${series.slug}/posts/${slug}`);
    expect(await vp.locator('h1').textContent()).toBe('What six regions told us');
    expect(await vp.locator('.findings svg[role=img]').count()).toBe(1);
    expect(await vp.locator('.findings blockquote').first().textContent()).toContain(
      'My mentor opened doors',
    );
    const email = `${unique('visitor')}@example.org`;
    await vp.fill('#cf-name', 'Vera Visitor');
    await vp.fill('#cf-email', email);
    await vp.fill('#cf-body', 'Mentoring changed my *career*.');
    await vp.check('input[name=notify]');
    await vp.click('#comment-form button[type=submit]');
    await expect.poll(() => vp.locator('[role=status]').textContent()).toContain('waiting for a moderator');
    expect(await vp.locator('.comments li.comment').count()).toBe(0);

    // The moderator got mail, approves and replies.
    await waitFor(() =>
      smtp.mails.find((m) => m.to.includes(coord.email) && m.text.includes('Mentoring changed my')),
    );
    await sp.goto(`${base}/console/series/${series.id}/comments`);
    expect(await seriousA11yViolations(sp)).toEqual([]);
    await sp.click('button[value=approve]');
    await sp.goto(`${base}/console/series/${series.id}/comments?status=approved`);
    const item = sp.locator('li.comment', { hasText: 'Mentoring changed my' });
    await item.locator('textarea').fill('Thank you, Vera: we will quote this in Dublin.');
    await item.locator('button:has-text("Reply")').click();
    await sp.waitForURL(/\/comments$/);

    // The visitor sees both, threaded, and receives the reply mail with a working unsubscribe link.
    await vp.goto(`${base}/series/${series.slug}/posts/${slug}`);
    expect(await vp.locator('.comments li.comment').first().locator('.body').first().innerHTML()).toContain(
      '<em>career</em>',
    );
    expect(await vp.locator('.comments li.comment li.comment .body').textContent()).toContain(
      'we will quote this in Dublin',
    );
    const mail = await waitFor(() => smtp.mails.find((m) => m.to.includes(email)));
    expect(mail.text).toContain('we will quote this in Dublin');
    const unsub = /\/comments\/unsubscribe\?token=[A-Za-z0-9_-]+/.exec(mail.text)![0];
    await vp.goto(`${base}${unsub}`);
    // The link only shows the button (a mail scanner following it changes nothing); the click stops the mails.
    await vp.locator('form[method=post] button[type=submit]').click();
    await vp.waitForURL(/done=1/);
    expect(await vp.locator('[role=status]').textContent()).toContain('no longer receive');

    // The post page is accessible.
    await vp.goto(`${base}/series/${series.slug}/posts/${slug}`);
    expect(await seriousA11yViolations(vp)).toEqual([]);
    await staff.close();
    await visitor.close();
  });
});
