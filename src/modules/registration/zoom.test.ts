import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSeries, makeSession, unique } from '../../../test/support/factories.ts';
import { login, testServer } from '../../../test/support/server.ts';
import type { Running } from '../../server/index.ts';
import { planAttendance } from './attendance.ts';
import { register } from './registration.service.ts';

// Fixtures written from the layouts Zoom's web portal documents for its reports: a preamble table,
// then sections with their own header rows, every line ending in a comma.
const webinarReport = (a: string, b: string) =>
  [
    '\uFEFFAttendee Report,',
    'Report Generated:,"Mar 23, 2022 07:10 AM",',
    'Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Cancelled Registrations,Unique Viewers,Total Users,Max Concurrent Views,',
    '"Networks of small libraries","912 3456 7890","Mar 23, 2022 05:00:00",95,3,0,2,4,3,',
    'Host Details,',
    'Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name,',
    'Yes,"Coordinator Desk",desk@colloquy.example,"Mar 23, 2022 04:50:00","Mar 23, 2022 06:40:00",110,No,Netherlands,',
    'Panelist Details,',
    'Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name,',
    'Yes,"Mele Tupou",mele@panel.example,"Mar 23, 2022 04:58:00","Mar 23, 2022 06:35:00",97,Yes,Tonga,',
    'Attendee Details,',
    'Attended,User Name (Original Name),First Name,Last Name,Email,City,Country/Region,Phone,Organization,Job Title,Registration Time,Approval Status,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name,',
    `Yes,"Hana (Sydney office)",Hana,Sato,${a.toUpperCase()},Sydney,Australia,,State Library,Librarian,"Mar 1, 2022 02:00:00",approved,"Mar 23, 2022 05:01:00","Mar 23, 2022 05:41:00",40,Yes,Australia,`,
    `Yes,"Hana (Sydney office)",Hana,Sato,${a},Sydney,Australia,,State Library,Librarian,"Mar 1, 2022 02:00:00",approved,"Mar 23, 2022 05:50:00","Mar 23, 2022 06:30:00",40,Yes,Australia,`,
    `Yes,"Rangi Walker",Rangi,Walker,${b},Auckland,New Zealand,,City Libraries,Manager,"Mar 2, 2022 02:00:00",approved,"Mar 23, 2022 05:00:00","Mar 23, 2022 06:35:00",95,Yes,New Zealand,`,
    'No,"Sione Fifita",Sione,Fifita,sione@example.org,Nukualofa,Tonga,,,,"Mar 3, 2022 02:00:00",approved,--,--,--,Yes,,',
    'Yes,"Phone caller",,,,,,,,,,,"Mar 23, 2022 05:10:00","Mar 23, 2022 05:30:00",20,Yes,,',
    'Other Attended,',
    'User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name,',
    '"Walk In",walkin@example.org,"Mar 23, 2022 05:20:00","Mar 23, 2022 05:50:00",30,Yes,Fiji,',
  ].join('\r\n');

const meetingExport = (a: string, withMeetingData: boolean) =>
  [
    ...(withMeetingData
      ? [
          'Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,',
          '91234567890,Regional exchange,03/23/2022 05:00:00 AM,03/23/2022 06:30:00 AM,host@colloquy.example,90,3,',
          '',
        ]
      : []),
    'Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent,In Waiting Room,',
    'Host Person,host@colloquy.example,03/23/2022 04:59:00 AM,03/23/2022 06:30:00 AM,91,No,,No,',
    `Hana Sato,${a},03/23/2022 05:02:00 AM,03/23/2022 05:32:00 AM,30,Yes,Yes,No,`,
  ].join('\n');

const registrationReport = (a: string) =>
  [
    'Registration Report,',
    'Report Generated:,"Mar 20, 2022 10:00 AM",',
    'Topic,Webinar ID,Scheduled Time,# Registered,',
    '"Networks of small libraries","912 3456 7890","Mar 23, 2022 05:00 AM",2,',
    'First Name,Last Name,Email,Registration Time,Approval Status,Country/Region,',
    `Hana,Sato,${a},"Mar 1, 2022 02:00:00",approved,Australia,`,
    'Lea,Vogt,lea@example.org,"Mar 4, 2022 09:00:00",approved,Switzerland,',
  ].join('\n');

describe('Zoom reports as they come', () => {
  it('reads the webinar attendee report section by section, each through its own header', () => {
    const plan = planAttendance(webinarReport('hana@example.org', 'rangi@example.org'), [
      { id: 'reg-hana', email: 'hana@example.org', status: 'confirmed' },
      { id: 'reg-sione', email: 'sione@example.org', status: 'confirmed' },
    ]);
    expect(plan.kind).toBe('webinar_attendees');
    expect(plan.rows.map((r) => [r.line, r.role, r.email, r.name, r.outcome, r.why])).toEqual([
      [7, 'host', 'desk@colloquy.example', 'Coordinator Desk', 'new', 'not registered'],
      [10, 'panelist', 'mele@panel.example', 'Mele Tupou', 'new', 'not registered'],
      [13, 'attendee', 'hana@example.org', 'Hana', 'matched', 'registered (confirmed)'],
      [14, 'attendee', 'hana@example.org', 'Hana', 'merged', 'rejoined: 40 more minutes'],
      [15, 'attendee', 'rangi@example.org', 'Rangi Walker', 'new', 'not registered'],
      [16, 'attendee', 'sione@example.org', 'Sione Fifita', 'skipped', 'did not attend'],
      [17, 'attendee', '', 'Phone caller', 'skipped', 'no e-mail address to match'],
      [20, 'attendee', 'walkin@example.org', 'Walk In', 'new', 'not registered'],
    ]);
    const hana = plan.people.find((p) => p.email === 'hana@example.org')!;
    expect(hana).toMatchObject({
      minutes: 80,
      joins: 2,
      firstJoinAt: new Date('Mar 23, 2022 05:01:00').toISOString(),
    });
  });

  it('reads the meeting participants export with and without the meeting-data preamble alike', () => {
    for (const withData of [true, false]) {
      const plan = planAttendance(meetingExport('hana@example.org', withData), [
        { id: 'reg-hana', email: 'hana@example.org', status: 'attended' },
      ]);
      expect(plan.kind).toBe('meeting_participants');
      expect(plan.rows.map((r) => [r.role, r.email, r.outcome])).toEqual([
        ['participant', 'host@colloquy.example', 'new'],
        ['participant', 'hana@example.org', 'matched'],
      ]);
      expect(plan.people.find((p) => p.email === 'hana@example.org')?.minutes).toBe(30);
    }
  });

  it('recognises the registration report and imports no attendance from it', () => {
    const plan = planAttendance(registrationReport('hana@example.org'), [
      { id: 'reg-hana', email: 'hana@example.org', status: 'confirmed' },
    ]);
    expect(plan.kind).toBe('webinar_registrations');
    expect(plan.people).toEqual([]);
    expect(plan.rows.map((r) => [r.email, r.outcome, r.registrationId])).toEqual([
      ['hana@example.org', 'skipped', 'reg-hana'],
      ['lea@example.org', 'skipped', null],
    ]);
  });
});

describe('importing Zoom attendance', () => {
  let srv: Running;
  beforeAll(async () => {
    srv = await testServer({ COLLOQUY_JOBS: '0' });
  });
  afterAll(async () => srv?.close());

  it('previews without writing, then merges so that a later, shorter report never lowers attendance', async () => {
    const s = await makeSeries(srv.ctx.db, { registrationMode: 'session' });
    const sessionId = await makeSession(srv.ctx.db, s, { regionKey: 'asia_oceania' });
    const hana = `${unique('hana')}@example.org`;
    await srv.ctx.db.transaction().execute((trx) =>
      register(trx, s.id, {
        name: 'Hana Sato',
        email: hana,
        country: 'AU',
        affiliation: '',
        answers: { career_stage: 'mid' },
        language: 'en',
        sessionIds: [sessionId],
        consent: true,
        newsOptIn: false,
      }),
    );
    // The webinar took place yesterday: reports are imported only once a session has begun.
    const yesterday = Date.now() - 86400_000;
    await srv.ctx.db
      .updateTable('session')
      .set({
        starts_at: new Date(yesterday).toISOString(),
        ends_at: new Date(yesterday + 90 * 60000).toISOString(),
      })
      .where('id', '=', sessionId)
      .execute();
    const admin = await login(srv, s.admin.email);
    const url = `/api/sessions/${sessionId}/attendance`;
    const status = async () =>
      srv.ctx.db
        .selectFrom('registration')
        .select(['status', 'attended_minutes'])
        .where('email', '=', hana)
        .executeTakeFirstOrThrow();

    const preview = await admin.request('POST', url, {
      csv: webinarReport(hana, 'rangi@example.org'),
      dryRun: true,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ written: false, matched: 1, unmatched: 4, merged: 1, skipped: 2 });
    expect(await status()).toEqual({ status: 'confirmed', attended_minutes: null });
    const rowsBefore = await srv.ctx.db
      .selectFrom('attendance')
      .select('id')
      .where('session_id', '=', sessionId)
      .execute();
    expect(rowsBefore).toEqual([]);

    const done = await admin.request('POST', url, { csv: webinarReport(hana, 'rangi@example.org') });
    expect(done.json()).toMatchObject({ written: true, matched: 1 });
    expect(await status()).toEqual({ status: 'attended', attended_minutes: 80 });

    // The meeting export of the same session knows only 30 minutes of Hana: nothing goes down.
    const again = await admin.request('POST', url, { csv: meetingExport(hana, true) });
    expect(again.json()).toMatchObject({ kind: 'meeting_participants', written: true, matched: 1 });
    expect(await status()).toEqual({ status: 'attended', attended_minutes: 80 });
    const rows = await srv.ctx.db
      .selectFrom('attendance')
      .select(['email', 'minutes', 'registration_id'])
      .where('session_id', '=', sessionId)
      .orderBy('email')
      .execute();
    expect(rows.find((r) => r.email === hana)).toMatchObject({ minutes: 80 });
    expect(rows.map((r) => r.email)).toContain('host@colloquy.example');
    expect(new Set(rows.map((r) => r.email)).size).toBe(rows.length);

    // A registration report is recognised, previewed, and writes nothing.
    const reg = await admin.request('POST', url, { csv: registrationReport(hana) });
    expect(reg.json()).toMatchObject({ kind: 'webinar_registrations', written: false, people: 0 });

    // The console shows the preview table before anything is written.
    const page = await srv.app.inject({
      method: 'POST',
      url: `/console/series/${s.id}/attendance`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: admin.csrf,
        sessionId,
        csv: webinarReport('someone@example.org', 'rangi@example.org'),
        action: 'preview',
      }).toString(),
    });
    expect(page.statusCode, page.body.slice(0, 300)).toBe(200);
    expect(page.body).toContain('Preview: Zoom webinar attendee report');
    expect(page.body).toContain('panelist');
    expect(page.body).toContain('did not attend');
  });
});
