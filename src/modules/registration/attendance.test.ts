import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grant, makeAccount, makeSeries, makeSession, unique } from '../../../test/support/factories.ts';
import { login, testServer } from '../../../test/support/server.ts';
import type { Running } from '../../server/index.ts';
import { registrationAttributes, summariseZoomReport } from './attendance.ts';
import { register } from './registration.service.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer({ COLLOQUY_JOBS: '0' });
});
afterAll(async () => {
  await srv?.close();
});

// Zoom's webinar attendee report: a preamble, then one row per join.
const report = (a: string, b: string, c: string) => `\uFEFFAttendee Report,
Report Generated:,"4/20/2022 11:02 AM"
Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Cancelled Registrations,Unique Viewers,Total Users,Max Concurrent Views,
"Latin America and the Caribbean",123 4567 8901,"4/20/2022 10:00 AM",92,3,0,3,5,3,
Host Details,
Attendee Details,
Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,Approval Status,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name,
Yes,"Lucía P",Lucía,Paredes,${a.toUpperCase()},"4/1/2022 9:00 AM",approved,"4/20/2022 10:01 AM","4/20/2022 10:40 AM",39,Yes,Peru,
Yes,"Lucía P",Lucía,Paredes,${a},"4/1/2022 9:00 AM",approved,"4/20/2022 10:45 AM","4/20/2022 11:30 AM",45,Yes,Peru,
Yes,"João S",João,Silva,${b},"4/2/2022 9:00 AM",approved,"4/20/2022 10:00 AM","4/20/2022 11:32 AM",92,Yes,Brazil,
Yes,"Walk-in",Walk,In,${c},"",approved,"4/20/2022 10:05 AM","4/20/2022 10:20 AM",15,Yes,Chile,
No,"Never came",Never,Came,never@example.org,"4/3/2022 9:00 AM",approved,--,--,--,Yes,Peru,
`;

describe('attendance', () => {
  it('merges rejoins per person and sums their minutes', () => {
    const r = summariseZoomReport(report('a@example.org', 'b@example.org', 'c@example.org'));
    expect(r.rows).toBe(4);
    expect(r.people.find((p) => p.email === 'a@example.org')).toMatchObject({ minutes: 84, joins: 2 });
    expect(r.people).toHaveLength(3);
    expect(() => summariseZoomReport('name,comment\nx,y')).toThrow(/Zoom attendee report/);
  });

  it('imports the report for a session, matches registrations by e-mail, and shows registered vs attended per session and region', async () => {
    const s = await makeSeries(srv.ctx.db, { registrationMode: 'session' });
    const latam = await makeSession(srv.ctx.db, s, { regionKey: 'latin_america_caribbean' });
    const emails = [unique('lucia'), unique('joao'), unique('ines')].map((x) => `${x}@example.org`);
    for (const [i, email] of emails.entries()) {
      await srv.ctx.db.transaction().execute((trx) =>
        register(trx, s.id, {
          name: `P${i}`,
          email,
          country: ['PE', 'BR', 'AR'][i],
          affiliation: '',
          answers: { career_stage: ['new', 'senior', 'mid'][i] },
          language: 'es',
          sessionIds: [latam],
          consent: true,
          newsOptIn: false,
        }),
      );
    }
    // The session then takes place (yesterday): a report can only be imported once it has begun.
    const yesterday = Date.now() - 86400_000;
    await srv.ctx.db
      .updateTable('session')
      .set({
        starts_at: new Date(yesterday).toISOString(),
        ends_at: new Date(yesterday + 90 * 60000).toISOString(),
      })
      .where('id', '=', latam)
      .execute();
    // A co-organiser of another region may not import; the region's co-organiser may.
    const europeCo = await grant(
      srv.ctx.db,
      await makeAccount(srv.ctx.db),
      s.id,
      'co_organiser',
      s.region('europe').id,
    );
    const latamCo = await grant(
      srv.ctx.db,
      await makeAccount(srv.ctx.db),
      s.id,
      'co_organiser',
      s.region('latin_america_caribbean').id,
    );
    const csv = report(emails[0], emails[1], 'walkin@example.org');
    expect(
      (await (await login(srv, europeCo.email)).request('POST', `/api/sessions/${latam}/attendance`, { csv }))
        .statusCode,
    ).toBe(403);
    const co = await login(srv, latamCo.email);
    // A session months away cannot receive a report: a 422 with its own code, nothing written.
    const later = await makeSession(srv.ctx.db, s, { regionKey: 'latin_america_caribbean', daysAhead: 90 });
    for (const url of [`/api/sessions/${later}/attendance`, `/api/sessions/${later}/attendance?dryRun=1`]) {
      const early = await co.request('POST', url, { csv });
      expect(early.statusCode, early.body).toBe(422);
      expect(early.json()).toMatchObject({ error: { code: 'session_not_started', field: 'sessionId' } });
    }
    const formEarly = await co.request('POST', `/console/series/${s.id}/attendance`, {
      sessionId: later,
      csv,
      action: 'import',
    });
    expect(formEarly.statusCode).toBe(422);
    expect(formEarly.body).toContain('This session has not started yet.');
    const none = await srv.ctx.db
      .selectFrom('attendance')
      .select('email')
      .where('session_id', '=', later)
      .execute();
    expect(none).toEqual([]);
    const res = await co.request('POST', `/api/sessions/${latam}/attendance`, { csv });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      kind: 'webinar_attendees',
      people: 3,
      matched: 2,
      unmatched: 1,
      merged: 1,
      skipped: 1,
      withoutEmail: 0,
      written: true,
    });
    // Importing again replaces, never doubles.
    await co.request('POST', `/api/sessions/${latam}/attendance`, { csv });

    const stats = await (await login(srv, s.admin.email)).request('GET', `/api/series/${s.id}/attendance`);
    const body = stats.json<{
      sessions: {
        sessionId: string;
        registered: number;
        attended: number;
        attendedWithoutRegistration: number;
      }[];
      regions: { regionKey: string; registered: number; attended: number }[];
    }>();
    expect(body.sessions.find((x) => x.sessionId === latam)).toMatchObject({
      registered: 3,
      attended: 2,
      attendedWithoutRegistration: 1,
    });
    expect(body.regions.find((r) => r.regionKey === 'latin_america_caribbean')).toMatchObject({
      registered: 3,
      attended: 2,
    });
    const minutes = await srv.ctx.db
      .selectFrom('registration')
      .select('attended_minutes')
      .where('email', '=', emails[0])
      .executeTakeFirstOrThrow();
    expect(minutes.attended_minutes).toBe(84);

    const attrs = await registrationAttributes(srv.ctx.db, s.id);
    expect(attrs.get(emails[0])).toMatchObject({
      career_stage: 'new',
      country: 'PE',
      region: 'latin_america_caribbean',
      attended: true,
    });
    expect(attrs.get(emails[2])).toMatchObject({ career_stage: 'mid', country: 'AR', attended: false });

    const page = await srv.app.inject({
      method: 'GET',
      url: `/console/series/${s.id}/registrations`,
      headers: { accept: 'text/html', cookie: (await login(srv, s.admin.email)).cookie },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Per region');
    expect(page.body).toContain(emails[1]);

    // The preview's "Why" column is translated from each row's reason code.
    const preview = await co.request('POST', `/console/series/${s.id}/attendance?lang=fr`, {
      sessionId: latam,
      csv,
      action: 'preview',
    });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('<html lang="fr"');
    expect(preview.body).toMatch(/inscrit \(confirmé\)|non inscrit|revenu :/);
    expect(preview.body).not.toMatch(/<td>(not registered|did not attend|registered \()/);

    // The console form redirects after the import, so a reload shows the summary without importing again.
    const form = await co.request('POST', `/console/series/${s.id}/attendance`, {
      sessionId: latam,
      csv,
      action: 'import',
    });
    expect(form.statusCode, form.body).toBe(303);
    const where = String(form.headers.location);
    expect(where).toMatch(
      /^\/console\/series\/[^/]+\/registrations\?saved=attendance&rows=5&people=3&matched=2/,
    );
    const after = await co.request('GET', where);
    expect(after.body).toContain('Imported 5 rows: 3 people, 2 matched to registrations, 1 not');
    // Words in the address are never shown: only digits are read back.
    const forged = await co.request(
      'GET',
      `/console/series/${s.id}/registrations?saved=attendance&rows=evil`,
    );
    expect(forged.body).toContain('Imported 0 rows');
    expect(forged.body).not.toMatch(/role="status">[^<]*evil/);
    const admin = await login(srv, s.admin.email);
    const saved = await admin.request('POST', `/console/series/${s.id}/registration-settings`, {
      offsets: '120, 30',
    });
    expect(saved.statusCode).toBe(303);
    expect((await admin.request('GET', String(saved.headers.location))).body).toContain('Reminders saved.');
  });
});
