import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECT } from '../../../test/support/db.ts';
import { grant, makeAccount, makeSeries, makeSession, unique } from '../../../test/support/factories.ts';
import { anonymous, login, testServer, type Client } from '../../../test/support/server.ts';
import type { Running } from '../../server/index.ts';
import { runDueJobs } from '../notify/index.ts';
import { eraseEmail } from './privacy.ts';
import { MESSAGE_JOB } from './registrants.ts';
import { jobContext } from './registration.routes.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer({ PUBLIC_URL: 'https://colloquy.example.org' });
});
afterAll(async () => srv?.close());

const get = (c: Client, url: string) =>
  srv.app.inject({ method: 'GET', url, headers: { cookie: c.cookie, accept: 'text/html' } });
const form = (c: Client, url: string, fields: Record<string, string>) =>
  srv.app.inject({
    method: 'POST',
    url,
    headers: { cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: c.csrf, ...fields }).toString(),
  });

async function setup() {
  const s = await makeSeries(srv.ctx.db);
  await srv.ctx.db
    .updateTable('series')
    .set({ languages: JSON.stringify(['en', 'es']), registration_mode: 'session' })
    .where('id', '=', s.id)
    .execute();
  const europe = await makeSession(srv.ctx.db, s, { regionKey: 'europe' });
  const africa = await makeSession(srv.ctx.db, s, { regionKey: 'sub_saharan_africa' });
  const people = [
    { name: '=HYPERLINK("http://evil.example","x")', country: 'FR', language: 'en', session: europe },
    { name: 'Lucía Paredes', country: 'PE', language: 'es', session: europe },
    { name: 'Kwame Boateng', country: 'GH', language: 'en', session: africa },
  ];
  const emails: string[] = [];
  for (const p of people) {
    const email = `${unique('reg')}@example.org`;
    emails.push(email);
    const res = await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: {
        name: p.name,
        email,
        country: p.country,
        affiliation: '',
        answers: { career_stage: 'new' },
        language: p.language,
        consent: true,
        newsOptIn: false,
        sessionIds: [p.session],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  return { s, europe, africa, emails };
}

describe(`registrants (${DIALECT})`, () => {
  it('lists per series and per session with filters, and exports CSV (formula-guarded) and XLSX, never cached', async () => {
    const { s, europe, emails } = await setup();
    const admin = await login(srv, s.admin.email);
    const all = await get(admin, `/console/series/${s.id}/registrants`);
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('3 registrations');
    const es = await get(admin, `/console/series/${s.id}/registrants?language=es`);
    expect(es.body).toContain('1 registration');
    expect(es.body).toContain('Lucía Paredes');
    expect(es.body).not.toContain('Kwame');
    const africa = await get(
      admin,
      `/console/series/${s.id}/registrants?region=sub_saharan_africa&country=gh`,
    );
    expect(africa.body).toContain('Kwame Boateng');
    expect(africa.body).toContain('1 registration');
    const attended = await get(admin, `/console/series/${s.id}/registrants?attended=yes`);
    expect(attended.body).toContain('0 registrations');
    const session = await get(admin, `/console/sessions/${europe}/registrants`);
    expect(session.body).toContain('2 registrations');

    const csv = await get(admin, `/console/sessions/${europe}/registrants/export.csv?country=FR`);
    expect(csv.headers['cache-control']).toContain('no-store');
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(lines[1]).toContain(emails[0]);

    const xlsx = await srv.app.inject({
      method: 'GET',
      url: `/console/series/${s.id}/registrants/export.xlsx`,
      headers: { cookie: admin.cookie },
    });
    expect(xlsx.headers['cache-control']).toContain('no-store');
    const wb = XLSX.read(xlsx.rawPayload, { type: 'buffer' });
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets.Registrants);
    expect(rows).toHaveLength(3);
    // XLSX text is never a formula: the name is kept exactly as typed, as text.
    expect(rows.map((r) => r.Name)).toContain('=HYPERLINK("http://evil.example","x")');
    expect(wb.Sheets.Registrants.A2.f).toBeUndefined();

    // A person reads the XLSX in their language (sheet and column labels); the CSV keeps machine headers.
    const fr = await srv.app.inject({
      method: 'GET',
      url: `/console/series/${s.id}/registrants/export.xlsx?lang=fr`,
      headers: { cookie: admin.cookie },
    });
    const frBook = XLSX.read(fr.rawPayload, { type: 'buffer' });
    expect(frBook.SheetNames).toEqual(['Inscrits']);
    const [header] = XLSX.utils.sheet_to_json<string[]>(frBook.Sheets.Inscrits, { header: 1 });
    expect(header.slice(0, 3)).toEqual(['Nom', 'Courriel', 'Pays']);
    const frCsv = await srv.app.inject({
      method: 'GET',
      url: `/console/series/${s.id}/registrants/export.csv?lang=fr`,
      headers: { cookie: admin.cookie },
    });
    expect(frCsv.body.replace('\uFEFF', '').split('\r\n')[0]).toMatch(/^name,email,country,/);
  });

  it('shows the registrants’ list and the writing form in the reader’s language', async () => {
    const { s } = await setup();
    const admin = await login(srv, s.admin.email);
    const list = await get(admin, `/console/series/${s.id}/registrants?lang=ar`);
    expect(list.body).toContain('<html lang="ar" dir="rtl"');
    expect(list.body).toContain('تصدير بصيغة CSV');
    expect(list.body).toContain('الحالة');
    expect(list.body).not.toContain('Export as CSV');
    const write = await get(admin, `/console/series/${s.id}/registrants/write?lang=de`);
    expect(write.body).toContain('Angemeldeten schreiben');
    expect(write.body).toContain('Betreff (Spanisch)');
    expect(write.body).not.toContain('Write to registrants');
  });

  it('keeps registrants to coordinators, and a region’s co-organiser to its own sessions', async () => {
    const { s, europe, africa } = await setup();
    const co = await login(
      srv,
      (await grant(srv.ctx.db, await makeAccount(srv.ctx.db), s.id, 'co_organiser', s.region('europe').id))
        .email,
    );
    expect((await get(co, `/console/sessions/${europe}/registrants`)).statusCode).toBe(200);
    expect((await get(co, `/console/sessions/${africa}/registrants`)).statusCode).toBe(403);
    expect((await get(co, `/console/series/${s.id}/registrants`)).statusCode).toBe(403);
    expect((await get(co, `/console/series/${s.id}/registrants/export.csv`)).statusCode).toBe(403);
    expect(
      (await anonymous(srv).request('GET', `/console/series/${s.id}/registrants/export.csv`)).statusCode,
    ).toBe(401);
  });

  it('writes to a filtered list in each person’s language, with a working unsubscribe link, and records it', async () => {
    const { s, emails } = await setup();
    const admin = await login(srv, s.admin.email);
    // Every wrong field at once: a subject without a text, and a text without a subject.
    const bad = await form(admin, `/console/series/${s.id}/registrants/write`, {
      subject_en: 'Slides',
      body_es: 'Las diapositivas',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('href="#f-body_en"');
    expect(bad.body).toContain('href="#f-subject_es"');
    expect(
      await srv.ctx.db.selectFrom('registrant_mail').select('id').where('series_id', '=', s.id).execute(),
    ).toEqual([]);

    const ok = await form(admin, `/console/series/${s.id}/registrants/write?region=europe`, {
      subject_en: 'The slides',
      body_en: 'Here are the slides.',
      subject_es: 'Las diapositivas',
      body_es: 'Aquí están las diapositivas.',
    });
    expect(ok.statusCode, ok.body).toBe(303);
    // The request only records who gets what; the job sends.
    const queued = await srv.ctx.db
      .selectFrom('registrant_mail')
      .select('status')
      .where('series_id', '=', s.id)
      .execute();
    expect(queued.map((m) => m.status)).toEqual(['queued', 'queued']);
    expect(
      await srv.ctx.db
        .selectFrom('mail_log')
        .select('id')
        .where('to_address', 'in', emails)
        .where('kind', '=', MESSAGE_JOB)
        .execute(),
    ).toEqual([]);
    await runDueJobs(jobContext(srv.app), undefined, { kinds: [MESSAGE_JOB] });
    const sent = await srv.ctx.db
      .selectFrom('registrant_mail')
      .selectAll()
      .where('series_id', '=', s.id)
      .orderBy('email')
      .execute();
    expect(sent.map((m) => m.email).sort()).toEqual([emails[0], emails[1]].sort());
    expect(sent.every((m) => m.status !== 'queued')).toBe(true);
    const spanish = await srv.ctx.db
      .selectFrom('mail_log')
      .selectAll()
      .where('to_address', '=', emails[1])
      .where('kind', '=', 'registrants.message')
      .executeTakeFirstOrThrow();
    expect(spanish.subject).toBe('Las diapositivas');
    const off = /https:\/\/colloquy\.example\.org(\/registrations\/[\w-]+\/messages-off\/[\w-]+)/.exec(
      spanish.text_body,
    )?.[1];
    expect(off).toBeTruthy();
    const page = await get(admin, ok.headers.location as string);
    expect(page.body).toContain('The message is on its way');
    expect(page.body).toContain('Las diapositivas');

    // One click stops the messages; the next one skips that person.
    const click = await srv.app.inject({
      method: 'POST',
      url: off!,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(click.statusCode).toBe(200);
    await form(admin, `/console/series/${s.id}/registrants/write?region=europe`, {
      subject_en: 'Again',
      body_en: 'Second.',
    });
    const second = await srv.ctx.db
      .selectFrom('registrant_mail')
      .select('email')
      .where('subject', '=', 'Again')
      .where('series_id', '=', s.id)
      .execute();
    expect(second.map((m) => m.email)).toEqual([emails[0]]);

    // The record holds personal data: it goes with the person's erasure.
    await eraseEmail(srv.ctx.db, emails[1], 'delete');
    expect(
      await srv.ctx.db.selectFrom('registrant_mail').select('id').where('email', '=', emails[1]).execute(),
    ).toEqual([]);
  });
});
