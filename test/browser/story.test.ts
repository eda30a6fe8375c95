import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { launchBrowser, seriousA11yViolations } from '../support/browser.ts';
import { makeAccount, PASSWORD, unique } from '../support/factories.ts';
import { testServer } from '../support/server.ts';
import { ensureWebBuilt } from '../support/web.ts';

/**
 * The whole story of issue 10 in one walk through the UI: a first-run administrator plans a series
 * of six regional sessions, invites a co-organiser, people register from phones, a facilitator runs a
 * live session, an analyst codes and compares, the findings are published, commented on, approved and
 * carried to the congress page. The API is used only to read results back.
 */

let srv: Running;
let browser: Browser;
let base: string;

const PHONE = { width: 360, height: 740 };
const ADMIN = { name: 'Ines Administrator', email: `${unique('admin')}@example.org`, password: PASSWORD };
const COORG = { name: 'Kwame Co-organiser', email: `${unique('kwame')}@example.org` };

// Six regional sessions, each at a local hour in its own zone (summer 2027, well in the future).
const SESSIONS = [
  {
    region: 'asia_oceania',
    title: 'Asia-Oceania webinar',
    start: '2027-03-23T13:00',
    zone: 'Asia/Singapore',
  },
  { region: 'europe', title: 'Europe webinar', start: '2027-04-06T15:00', zone: 'Europe/Berlin' },
  {
    region: 'latin_america_caribbean',
    title: 'Latin America webinar',
    start: '2027-04-27T10:00',
    zone: 'America/Lima',
  },
  {
    region: 'middle_east_north_africa',
    title: 'MENA webinar',
    start: '2027-05-11T14:00',
    zone: 'Africa/Cairo',
  },
  {
    region: 'north_america',
    title: 'North America webinar',
    start: '2027-05-25T11:00',
    zone: 'America/Chicago',
  },
  {
    region: 'sub_saharan_africa',
    title: 'Sub-Saharan Africa webinar',
    start: '2027-06-08T12:00',
    zone: 'Africa/Nairobi',
  },
];

beforeAll(async () => {
  await ensureWebBuilt();
  process.env.COMMENT_RATE_LIMIT = '1000';
  srv = await testServer({ COLLOQUY_JOBS: '0' });
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(srv.app.server.address() as { port: number }).port}`;
  srv.ctx.config.publicUrl = base;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

/** Sweep contexts (one per person, 360 px wide) that check each visited page in English and Arabic. */
const sweepers = new Map<BrowserContext, Page>();
const swept = new Set<string>();

/**
 * Opens the page's address again in English and in Arabic at 360 px, as the same person, and checks
 * that nothing overflows sideways and that axe-core finds nothing serious.
 */
async function sweep(page: Page): Promise<void> {
  const url = new URL(page.url());
  url.searchParams.delete('lang');
  const key = `${url.pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')}|${[...url.searchParams.keys()].join(',')}`;
  // STORY_NO_SWEEP=1 walks the story without the sweep, to debug a step quickly.
  if (swept.has(key) || process.env.STORY_NO_SWEEP) return;
  swept.add(key);
  const owner = page.context();
  let sp = sweepers.get(owner);
  if (!sp) {
    sp = await (await browser.newContext({ viewport: PHONE })).newPage();
    sweepers.set(owner, sp);
  }
  // The same person: the sign-in may have changed since the last sweep.
  await sp.context().clearCookies();
  await sp.context().addCookies(await owner.cookies());
  for (const lang of ['en', 'ar']) {
    url.searchParams.set('lang', lang);
    const res = await sp.goto(url.toString());
    const where = `${lang} ${url.pathname}${url.search}`;
    expect(res?.status(), where).toBeLessThan(400);
    // A post is one text in its own language: its <html lang> is the text's, and its chrome follows.
    const shown = await sp.getAttribute('html', 'lang');
    if (!/\/posts\/[^/]+$/.test(url.pathname)) expect(shown, where).toBe(lang);
    expect(await sp.getAttribute('html', 'dir'), where).toBe(shown === 'ar' ? 'rtl' : 'ltr');
    expect(
      await sp.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      `${where} overflows at 360 px`,
    ).toBe(true);
    expect({ where, violations: await seriousA11yViolations(sp) }).toEqual({ where, violations: [] });
  }
}

/** Goes to a page, checks it loaded, and sweeps it. */
async function visit(page: Page, path: string): Promise<void> {
  const res = await page.goto(`${base}${path}`);
  expect(res?.status(), path).toBeLessThan(400);
  await sweep(page);
}

async function phone(locale: string, javaScriptEnabled = true): Promise<Page> {
  const ctx = await browser.newContext({ viewport: PHONE, locale, javaScriptEnabled, isMobile: true });
  ctx.setDefaultTimeout(15_000);
  return ctx.newPage();
}

const t0 = Date.now();
/** Marks a step in the output with the seconds since the start (the walk is long). */
const step = (what: string) => console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s  ${what}`);

describe('the whole story of a series', () => {
  it('runs a series from the first administrator to the congress page, through the UI', async () => {
    // 1. First run: the administrator account is made on /setup (a shared PostgreSQL database of a
    // run may already have one: then the administrator is made by the factory and logs in).
    const admin = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    admin.setDefaultTimeout(15_000);
    const a = await admin.newPage();
    await a.goto(`${base}/login`);
    if (a.url().endsWith('/setup')) {
      await sweep(a);
      await a.getByLabel('Name').fill(ADMIN.name);
      await a.getByLabel('E-mail address').fill(ADMIN.email);
      await a.getByLabel('Password').fill(ADMIN.password);
      await a.locator('form[action="/setup"] button[type=submit]').click();
    } else {
      const made = await makeAccount(srv.ctx.db, { admin: true, name: ADMIN.name });
      await a.getByLabel('E-mail address').fill(made.email);
      await a.getByLabel('Password').fill(ADMIN.password);
      await a.getByRole('button', { name: 'Log in' }).click();
    }
    await a.waitForURL(`${base}/console`);
    await sweep(a);

    step('series');
    // 2. A series with six regional sessions in six time zones.
    await a.getByRole('link', { name: 'New series' }).click();
    await sweep(a);
    const slug = unique('leaders').toLowerCase();
    await a.getByLabel('Title').fill('Empowering leaders worldwide');
    await a.getByLabel('Short name for the address').fill(slug);
    for (const l of ['ar', 'es', 'zh']) await a.locator(`input[name=languages][value=${l}]`).check();
    await a.getByLabel('Visibility').selectOption('published');
    await a.getByRole('button', { name: 'Create series' }).click();
    await a.waitForURL(/\/console\/series\/[0-9a-f-]+\?saved=created$/);
    await a.getByText('The series was created.').waitFor();
    const seriesId = /series\/([0-9a-f-]+)/.exec(a.url())![1];
    await sweep(a);
    for (const [i, s] of SESSIONS.entries()) {
      await a.goto(`${base}/console/series/${seriesId}/sessions/new`);
      if (i === 0) await sweep(a);
      await a.getByLabel('Region').selectOption(s.region);
      await a.getByLabel('Title').fill(s.title);
      await a.getByLabel('Starts').fill(s.start);
      await a.getByLabel('Ends').fill(s.start.replace(/T(\d\d)/, (_, h: string) => `T${Number(h) + 1}`));
      await a.getByLabel('Time zone of these times').fill(s.zone);
      await a.getByRole('button', { name: 'Add session' }).click();
      await a.waitForURL(/\/sessions\?saved=session_added$/);
    }
    await sweep(a);
    expect(await a.locator('ul.sessions > li').count()).toBe(6);
    const detail = (await (await a.request.get(`${base}/api/series/${seriesId}`)).json()) as {
      sessions: { id: string; title: string; timeZone: string; startsAt: string; region: { key: string } }[];
    };
    expect(detail.sessions.map((s) => s.timeZone).sort()).toEqual(SESSIONS.map((s) => s.zone).sort());
    const sessionOf = (region: string) => detail.sessions.find((s) => s.region.key === region)!;
    // 13:00 in Singapore is 05:00 UTC.
    expect(sessionOf('asia_oceania').startsAt).toBe('2027-03-23T05:00:00.000Z');

    step('co-organiser');
    // 3. A co-organiser for Sub-Saharan Africa, invited through the console form.
    await visit(a, `/console/series/${seriesId}/team`);
    await a.locator('#i-email').fill(COORG.email);
    await a.locator('#i-role').selectOption('co_organiser');
    await a.locator('#i-region').selectOption('sub_saharan_africa');
    await a.getByRole('button', { name: 'Invite' }).click();
    await a.waitForURL(/\/team\?saved=invite$/);
    await visit(a, '/console/outbox');
    const mail = a.locator('article.card', { hasText: COORG.email });
    expect(await mail.count()).toBe(1);
    const inviteUrl = /https?:\/\/[^\s]+\/invite\/[A-Za-z0-9_-]+/.exec((await mail.textContent())!)![0];
    const coorg = await browser.newContext({ viewport: PHONE });
    const c = await coorg.newPage();
    await c.goto(inviteUrl);
    await sweep(c);
    await c.getByLabel('Name').fill(COORG.name);
    await c.getByLabel('Password').fill(PASSWORD);
    await c.locator('form[action^="/invite/"] button[type=submit]').click();
    await c.waitForURL(`${base}/console`);
    await sweep(c);
    await c.getByRole('link', { name: 'Empowering leaders worldwide' }).click();
    await visit(c, `/console/series/${seriesId}/sessions`);
    // Only their region's session has an Edit link; another region's edit page is refused.
    expect(await c.getByRole('link', { name: /^Edit/ }).count()).toBe(1);
    await c.getByRole('link', { name: /^Edit/ }).click();
    await sweep(c);
    await c.locator('#f-title').fill('Sub-Saharan Africa webinar: leading in a crisis');
    await c.getByRole('button', { name: /Save/ }).first().click();
    await c.waitForURL(/saved=session$/);
    const other = await c.goto(`${base}/console/sessions/${sessionOf('europe').id}`);
    expect(other?.status()).toBe(403);
    await coorg.close();

    step('registrations');
    // 4. Registrations from phones in three languages (Arabic, Spanish, Chinese).
    const people = [
      { lang: 'ar', name: 'ليلى حسن', country: 'EG' },
      { lang: 'es', name: 'Lucía Paredes', country: 'PE' },
      { lang: 'zh', name: '王芳', country: 'CN' },
    ];
    const phones: Page[] = [];
    for (const p of people) {
      const ph = await phone(p.lang);
      phones.push(ph);
      await ph.goto(`${base}/series/${slug}`);
      expect(await ph.getAttribute('html', 'lang')).toBe(p.lang);
      await sweep(ph);
      await ph.click(`a[href$="/series/${slug}/register"]`);
      await ph.waitForSelector('form[action$="/register"]');
      await sweep(ph);
      await ph.fill('#f-name', p.name);
      await ph.fill('#f-email', `${unique(p.lang)}@example.org`);
      await ph.selectOption('#f-country', p.country);
      await ph.selectOption('#f-a_career_stage', p.lang === 'es' ? 'senior' : 'new');
      await ph.check('#f-consent');
      await ph.click('form[action$="/register"] button[type=submit]');
      await ph.waitForURL(/\/registrations\//);
      expect(await ph.getAttribute('html', 'lang')).toBe(p.lang);
      await sweep(ph);
    }
    // The coordinator sees the three in the registrants list, with their languages.
    await visit(a, `/console/series/${seriesId}/registrants`);
    for (const p of people) expect(await a.locator('main').textContent()).toContain(p.name);

    step('live');
    // 5. The facilitator runs the MENA session: five prompt types added through the form.
    const mena = sessionOf('middle_east_north_africa').id;
    await visit(a, `/console/series/${seriesId}/sessions`);
    await a.getByRole('link', { name: 'Live room of MENA webinar' }).click();
    await a.waitForURL(`${base}/console/sessions/${mena}/live`);
    const PROMPTS = [
      {
        type: 'open_text',
        kind: 'best_practice',
        en: 'Which practice helped you lead?',
        ar: 'ما الممارسة التي ساعدتك؟',
      },
      {
        type: 'poll',
        en: 'Which format suits you?',
        choices: 'Workshops\nMentoring circles\nReading groups',
      },
      { type: 'word_cloud', en: 'One word for leadership' },
      { type: 'scale', en: 'How ready do you feel to lead?' },
      { type: 'ranking', en: 'Rank these needs', choices: 'Training\nFunding\nCommunication' },
    ];
    for (const [i, p] of PROMPTS.entries()) {
      const form = a.locator('#add-prompt form');
      if (!(await a.locator('#add-prompt').evaluate((d) => (d as HTMLDetailsElement).open)))
        await a.locator('#add-prompt summary').click();
      await form.locator('[name=type]').selectOption(p.type);
      if (p.kind) await form.locator('[name=kind]').selectOption(p.kind);
      await form.locator('[name=text_en]').fill(p.en);
      if (p.ar) await form.locator('[name=text_ar]').fill(p.ar);
      if (p.choices) await form.locator('[name=choices_en]').fill(p.choices);
      await form.locator('button[type=submit]').click();
      await expect.poll(() => a.locator('li[data-prompt-id]').count()).toBe(i + 1);
    }
    await sweep(a);
    const promptIds = await a.$$eval('li[data-prompt-id]', (ls) =>
      ls.map((l) => l.getAttribute('data-prompt-id')!),
    );
    const code = (await a.locator('a[href*="/j/"]').first().getAttribute('href'))!.split('/j/')[1];
    let navigations = 0;
    a.on('framenavigated', (f) => {
      if (f === a.mainFrame()) navigations++;
    });
    await a.reload();
    const presenter = await (await browser.newContext()).newPage();
    await presenter.goto(`${base}/present/${code}`);
    await sweep(presenter);
    for (const ph of phones) await ph.goto(`${base}/j/${code}`);
    const noJs = await phone('es', false);
    await noJs.goto(`${base}/j/${code}?lang=es`);
    await sweep(noJs);

    const WORDS: Record<string, string[]> = {
      open_text: [
        'الإرشاد من مديرة ساعدني',
        'Mentoría con una directora',
        '导师制度帮助了我',
        'Redes regionales sin JavaScript',
      ],
      word_cloud: ['قيادة', 'equipo', '团队', 'confianza'],
    };
    /** One phone answers the prompt; returns once the phone says it was received. */
    async function answer(ph: Page, idx: number, type: string, who: number, js: boolean) {
      const id = promptIds[idx];
      if (!js) await ph.goto(`${base}/j/${code}?lang=es`);
      const form = ph.locator(`form.answer[data-prompt="${id}"]`);
      await form.waitFor({ timeout: 10_000 });
      if (type === 'open_text') await form.locator('textarea').fill(WORDS.open_text[who]);
      else if (type === 'word_cloud') await form.locator('input[name=text]').fill(WORDS.word_cloud[who]);
      else if (type === 'poll')
        await form
          .locator('input[name=choice]')
          .nth(who % 3)
          .check();
      else if (type === 'scale')
        await form
          .locator('input[name=value]')
          .nth(2 + (who % 3))
          .check();
      else if (type === 'ranking' && who % 2) {
        await form.locator('select').nth(0).selectOption('2');
        await form.locator('select').nth(1).selectOption('1');
      }
      await form.locator('button[type=submit]').click();
      if (js)
        await expect
          .poll(
            async () =>
              (await ph
                .locator(`[data-prompt="${id}"]`)
                .textContent()
                .catch(() => '')) ?? '',
          )
          .not.toBe('');
      else await ph.waitForURL(/thanks=1/);
    }

    for (const [i, p] of PROMPTS.entries()) {
      step(`prompt ${p.type}`);
      await a.locator('.ros-controls [data-key="next"]').click();
      await expect.poll(() => a.locator(`li[data-prompt-id="${promptIds[i]}"].current`).count()).toBe(1);
      await expect.poll(() => presenter.locator('#prompt').textContent()).toBe(p.en);
      for (const [who, ph] of phones.entries()) await answer(ph, i, p.type, who, true);
      await answer(noJs, i, p.type, 3, false);
      if (i === 0) {
        await sweep(phones[0]);
        // Each answer reaches the console without a reload, in its own language.
        for (const w of WORDS.open_text)
          await expect.poll(() => a.locator('li[data-answer-id]', { hasText: w }).count()).toBe(1);
        // 6. Moderation: one answer is hidden from the screen.
        const hidden = a.locator('li[data-answer-id]', { hasText: WORDS.open_text[3] });
        const hid = await hidden.getAttribute('data-answer-id');
        await a.locator(`[data-key="hide:${hid}"]`).click();
        await expect
          .poll(() => a.locator(`li[data-answer-id="${hid}"][data-status="hidden"]`).count())
          .toBe(1);
        await expect.poll(() => presenter.locator('#res').textContent()).not.toContain(WORDS.open_text[3]);
      }
      await expect.poll(() => a.locator('#live-total').textContent()).toMatch(/^4 answers|^3 answers/);
    }
    // R reveals the current prompt's results; the whole run happened without reloading the console.
    await a.locator('body').press('r');
    await expect.poll(() => a.locator(`[data-key="unreveal:${promptIds[4]}"]`).count()).toBeGreaterThan(0);
    expect(navigations).toBe(1);
    for (const ph of [...phones, noJs, presenter]) await ph.context().close();

    // 7. The workbench pulls the live answers, codes two with the keyboard, reviews and compares.
    step('workbench');
    const wb = `/console/series/${seriesId}/workbench`;
    await visit(a, wb);
    await a.locator(`form[action$="/workbench/refresh"] button`).click();
    await a.waitForURL(/notice=refreshed/);
    await visit(a, `${wb}/review`);
    for (let i = 0; i < 2; i++) {
      await a.evaluate(() => ((window as unknown as { stale: boolean }).stale = true));
      await a.keyboard.press('1');
      await a.keyboard.press('a');
      await a.waitForFunction(
        () => !(window as unknown as { stale?: boolean }).stale && document.readyState === 'complete',
      );
    }
    // Read back: the live answers are units of the workbench, and two decisions were recorded.
    const summary = (await (await a.request.get(`${base}/api/series/${seriesId}/workbench`)).json()) as {
      responses: number;
      decisions: number;
    };
    expect(summary.responses).toBe(3); // the visible open answers; the hidden one is not analysed
    expect(summary.decisions).toBe(2);
    await visit(a, `${wb}/compare`);
    expect(await a.locator('table.heat').first().textContent()).toMatch(/Middle East/);
    await visit(a, `${wb}/codebook`);

    // 8. A snapshot of the findings, reproduced.
    step('snapshot');
    await visit(a, `${wb}/findings`);
    await a.fill('#f-title', 'Until May');
    await a.click('text=Save snapshot');
    await expect.poll(() => a.textContent('#reproduce-result')).toContain('Reproduced exactly');
    await sweep(a);
    const snapshotId = /snapshots\/([0-9a-f-]+)/.exec(a.url())![1];

    // 9. A post with the snapshot, published; a reader comments; the coordinator approves.
    step('post');
    await visit(a, `/console/series/${seriesId}/posts/new`);
    const postSlug = unique('summary').toLowerCase();
    await a.fill('#f-title', 'What the regions told us');
    await a.fill('#f-slug', postSlug);
    await a.fill('#f-summary', 'Mentoring, teams, training.');
    await a.fill('#f-bodyMd', '## Mentoring first\n\nAttendees named **mentoring** most often.');
    await a.selectOption('#f-snapshotId', snapshotId);
    await a.selectOption('#f-status', 'published');
    await a.click('button[value=save]');
    await a.waitForURL(/\/console\/posts\/.+saved=1/);
    await sweep(a);
    const reader = await phone('en');
    await reader.goto(`${base}/series/${slug}/posts/${postSlug}`);
    await sweep(reader);
    expect(await reader.locator('h1').textContent()).toBe('What the regions told us');
    expect(await reader.locator('.findings').count()).toBeGreaterThan(0);
    await reader.fill('#cf-name', 'Rosa Reader');
    await reader.fill('#cf-email', `${unique('rosa')}@example.org`);
    await reader.fill('#cf-body', 'Our association started a mentoring circle after the webinar.');
    await reader.click('#comment-form button[type=submit]');
    await expect
      .poll(() => reader.locator('[role=status]').textContent())
      .toContain('waiting for a moderator');
    step('comment');
    await visit(a, `/console/series/${seriesId}/comments`);
    await a.locator('li.comment', { hasText: 'mentoring circle' }).locator('button[value=approve]').click();
    await reader.reload();
    expect(await reader.locator('.comments li.comment').first().textContent()).toContain('mentoring circle');

    // 10. The congress session that carries the findings, shown to a visitor in their own zone.
    step('congress');
    await visit(a, `/console/series/${seriesId}/congress/new`);
    const cslug = unique('dublin').toLowerCase();
    await a.fill('#f-title', 'Leadership open to all');
    await a.fill('#f-slug', cslug);
    await a.fill('#f-eventName', 'World Library Congress');
    await a.fill('#f-startsAt', '2027-07-27T08:30');
    await a.fill('#f-endsAt', '2027-07-27T10:00');
    await a.fill('#f-timeZone', 'Europe/Dublin');
    await a.fill('#f-guidingQuestions', 'How do countries define leadership?');
    await a.selectOption('#f-snapshotId', snapshotId);
    await a.getByRole('button', { name: 'Save' }).click();
    await a.waitForURL(/\/console\/congress\//);
    await sweep(a);
    const visitor = await browser.newContext({ viewport: PHONE, timezoneId: 'Asia/Tokyo', locale: 'en-GB' });
    const v = await visitor.newPage();
    await v.goto(`${base}/series/${slug}/congress/${cslug}`);
    await sweep(v);
    const main = (await v.locator('main').textContent())!;
    expect(main).toContain('World Library Congress');
    // 08:30 in Dublin (summer time) is 07:30 UTC and 16:30 in Tokyo.
    expect(main).toMatch(/\b8:30\b/); // English reads 12-hour times ("8:30 – 10:00 am"); French would read 08:30
    expect(main).toMatch(/\b7:30\b/);
    await expect.poll(() => v.locator('time[data-local]').first().textContent()).toMatch(/16:30|4:30/);
    expect(await v.locator('.findings, h2', { hasText: 'findings' }).count()).toBeGreaterThan(0);
    await visitor.close();
    await reader.context().close();
    step('done');
  }, 900_000);
});
