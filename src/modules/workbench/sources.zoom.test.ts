// Zoom's poll and Q&A reports, written from Zoom's support articles on webinar and meeting reports
// (a title line, "Report Generated:", the webinar data table, then a header row of its own, lines
// ending in commas). The answers are our own words, written for these tests.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../server/index.ts';
import { DIALECT } from '../../../test/support/db.ts';
import { grant, makeAccount, makeSeries, makeSession } from '../../../test/support/factories.ts';
import { login, testServer } from '../../../test/support/server.ts';
import { guessMapping, mapRows } from './sources.import.ts';
import { readCsv, readXlsx } from './sources.parse.ts';

// The webinar poll report in the layout where the header stops at the submission time and each row
// carries question, answer, question, answer… cells.
const POLL_PAIRS = [
  'Poll Report,',
  'Report Generated:,"Nov 30, 2026 11:02 AM",',
  'Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Voted,',
  'Careers in our field: East Africa,812 3456 7890,"Nov 30, 2026 09:00 AM",62,140,6,',
  ',',
  '#,User Name,Email Address,Submitted Date and Time,',
  '1,Wanjiru Otieno,w.otieno@example.org,"Nov 30, 2026 09:14:05",Your career stage?,Early career,What would help you most this year?,Half a day a month to learn next to someone senior,',
  '2,Baraka M,baraka@example.org,"Nov 30, 2026 09:14:40",Your career stage?,Early career,What would help you most this year?,A budget line for courses that my manager cannot cut,',
  '3,Anonymous,,"Nov 30, 2026 09:15:02",Your career stage?,Mid career,What would help you most this year?,"Clear rules on who gets conference funding, written down",',
  '4,Grace N,grace.n@example.org,"Nov 30, 2026 09:15:30",Your career stage?,Early career,',
  '5,Juma K,juma@example.org,"Nov 30, 2026 09:16:11",Your career stage?,Mid career,What would help you most this year?,Someone to read my grant drafts before they go out,',
  '6,Halima S,halima@example.org,"Nov 30, 2026 09:16:50",Your career stage?,Early career,What would help you most this year?,Being asked to speak at our own annual meeting,',
].join('\r\n');

// The meeting poll report in the layout with a poll-name column and the questions in the header.
const POLL_COLUMNS = [
  'Poll Report',
  'Report Generated:,"Dec 1, 2026 08:00 AM"',
  'Meeting ID,Topic,Actual Start Time,Actual Duration (minutes),# Participants',
  '"845 1111 2222",Regional call,"Nov 28, 2026 14:00 PM",45,9',
  '',
  '#,Poll Name,User Name,Email Address,Submitted Date and Time,Which topics matter to you?,What should the association stop doing?',
  '1,Closing poll,Lena Vogel,lena@example.de,"Nov 28, 2026 14:40:12",Funding;Mentoring,Scheduling every call at lunchtime in Europe',
  '2,Closing poll,Tomás R,tomas@example.es,"Nov 28, 2026 14:40:20",Funding,Sending the agenda the night before',
  '3,Closing poll,Priya D,priya@example.in,"Nov 28, 2026 14:40:31",Mentoring,Only inviting the same five speakers',
  '4,Closing poll,Sam O,sam@example.ng,"Nov 28, 2026 14:40:44",Funding;Mentoring,',
  '5,Closing poll,Ana L,ana@example.br,"Nov 28, 2026 14:41:02",Funding,',
  '6,Closing poll,Yuki T,yuki@example.jp,"Nov 28, 2026 14:41:15",Mentoring,',
].join('\n');

const QA = [
  'Question and Answer Report,',
  'Report Generated:,"Nov 30, 2026 11:05 AM",',
  'Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Question,',
  'Careers in our field: East Africa,812 3456 7890,"Nov 30, 2026 09:00 AM",62,3,',
  ',',
  'Question Details,',
  '#,Question,Asker Name,Asker Email,Answer(s),',
  '1,Will the slides be shared after the session?,Wanjiru Otieno,w.otieno@example.org,"Moderator: Yes, by e-mail tomorrow",',
  '2,How do small member associations get a seat on the council?,Anonymous Attendee,,Live answered,',
  '3,Is there a mentoring scheme for people outside the capital?,Juma K,juma@example.org,,',
].join('\r\n');

describe('Zoom poll and Q&A reports', () => {
  it('reads a webinar poll report with question/answer pairs: open answers become units, choices attributes', () => {
    const t = readCsv(POLL_PAIRS);
    expect(t.recognised).toBe('zoom_poll');
    expect(t.errors).toEqual([]);
    expect(
      t.rows.map((r) => [r.line, r.values.speaker, r.values.text, r.values['Your career stage?']]),
    ).toEqual([
      [7, 'Wanjiru Otieno', 'Half a day a month to learn next to someone senior', 'Early career'],
      [8, 'Baraka M', 'A budget line for courses that my manager cannot cut', 'Early career'],
      [9, '', 'Clear rules on who gets conference funding, written down', 'Mid career'],
      [11, 'Juma K', 'Someone to read my grant drafts before they go out', 'Mid career'],
      [12, 'Halima S', 'Being asked to speak at our own annual meeting', 'Early career'],
    ]);
    // The choice answers are listed as left out on purpose, each with why.
    expect(t.skipped?.filter((s) => /choice answer/.test(s.reason))).toHaveLength(6);
    // No e-mail address travels with a unit.
    expect(JSON.stringify(t.rows)).not.toMatch(/@example/);
    const m = guessMapping(t.header);
    expect(m).toMatchObject({ text: 'text', speaker: 'speaker', date: 'submitted' });
    const mapped = mapRows(t, m);
    expect(mapped.errors).toEqual([]);
    expect(mapped.rows[0].submitted_at?.slice(0, 10)).toBe('2026-11-30');
    expect(JSON.parse(mapped.rows[0].groups)).toMatchObject({
      'poll question': 'What would help you most this year?',
    });
  });

  it('reads a meeting poll report with the questions in the header and a poll-name column', () => {
    const t = readCsv(POLL_COLUMNS);
    expect(t.recognised).toBe('zoom_poll');
    expect(
      t.rows.map((r) => [
        r.values.speaker,
        r.values.poll,
        r.values.text,
        r.values['Which topics matter to you?'],
      ]),
    ).toEqual([
      ['Lena Vogel', 'Closing poll', 'Scheduling every call at lunchtime in Europe', 'Funding;Mentoring'],
      ['Tomás R', 'Closing poll', 'Sending the agenda the night before', 'Funding'],
      ['Priya D', 'Closing poll', 'Only inviting the same five speakers', 'Mentoring'],
    ]);
  });

  it('says so when a poll had only choice questions', () => {
    const onlyChoices = [
      'Poll Report',
      'Report Generated:,"Dec 1, 2026 08:00 AM"',
      '#,Poll Name,User Name,Email Address,Submitted Date and Time,Which topics matter to you?',
      ...['Funding', 'Mentoring', 'Funding;Mentoring', 'Funding', 'Mentoring', 'Funding'].map(
        (a, i) => `${i + 1},Closing poll,Person ${i + 1},p${i + 1}@example.org,"Nov 28, 2026 14:40:12",${a}`,
      ),
    ].join('\n');
    const t = readCsv(onlyChoices);
    expect(t.rows).toEqual([]);
    expect(t.errors.map((e) => e.message)).toEqual([
      'every question of this poll was answered by choosing; there are no answers in people’s own words',
    ]);
  });

  it('reads a Q&A report: the attendees’ questions are units, the panel’s answers are left out', () => {
    const t = readCsv(QA);
    expect(t.recognised).toBe('zoom_qa');
    expect(t.rows.map((r) => [r.values.id, r.values.speaker, r.values.text])).toEqual([
      ['qa-1', 'Wanjiru Otieno', 'Will the slides be shared after the session?'],
      ['qa-2', '', 'How do small member associations get a seat on the council?'],
      ['qa-3', 'Juma K', 'Is there a mentoring scheme for people outside the capital?'],
    ]);
    expect(t.skipped).toEqual([{ line: 8, reason: 'the panel’s answer to this question' }]);
    expect(JSON.stringify(t.rows)).not.toMatch(/@example|Moderator/);
  });

  it('reads the same report saved from Excel as a workbook', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    for (const line of QA.split('\r\n'))
      ws.addRow(line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((c) => c.replace(/^"|"$/g, '')));
    const t = await readXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(t.recognised).toBe('zoom_qa');
    expect(t.rows).toHaveLength(3);
  });

  it('leaves an ordinary survey export alone', () => {
    const t = readCsv('id,text,region\nr1,We need a mentor,Europe\n');
    expect(t.recognised).toBeUndefined();
    expect(t.rows).toHaveLength(1);
  });
});

describe(`Zoom reports through the import API (${DIALECT})`, () => {
  let srv: Running;
  beforeAll(async () => {
    srv = await testServer();
  });
  afterAll(async () => srv.close());

  it('previews, imports a poll report as a source, and refuses it as an attendance report', async () => {
    const s = await makeSeries(srv.ctx.db);
    const coord = await grant(srv.ctx.db, await makeAccount(srv.ctx.db), s.id, 'coordinator');
    const client = await login(srv, coord.email);
    const content = Buffer.from(POLL_PAIRS).toString('base64');
    const dry = await client.request('POST', `/api/series/${s.id}/workbench/imports`, {
      kind: 'csv',
      name: 'Poll, East Africa',
      content,
      dryRun: true,
    });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ sourceId: null, total: 5, recognised: 'zoom_poll' });
    const imp = await client.request('POST', `/api/series/${s.id}/workbench/imports`, {
      kind: 'csv',
      name: 'Poll, East Africa',
      content,
      constants: { region: 'africa' },
    });
    expect(imp.statusCode, imp.body).toBe(200);
    expect(imp.json()).toMatchObject({ added: 5, recognised: 'zoom_poll' });
    const items = await srv.ctx.db
      .selectFrom('wb_item')
      .select(['text', 'speaker', 'region', 'groups'])
      .where('series_id', '=', s.id)
      .orderBy('text')
      .execute();
    expect(items.map((i) => i.text)).toContain('Someone to read my grant drafts before they go out');
    expect(items.every((i) => i.region === 'africa')).toBe(true);
    expect(items.map((i) => i.groups).join(' ')).not.toMatch(/@example/);

    // Brought to a session's attendance import, it is refused with a pointer to the workbench.
    const past = await makeSession(srv.ctx.db, s, { daysAhead: -1 });
    const att = await client.request('POST', `/api/sessions/${past}/attendance`, { csv: POLL_PAIRS });
    expect(att.statusCode, att.body).toBe(422);
    expect(att.json()).toMatchObject({ error: { code: 'report_for_workbench', field: 'csv' } });
  }, 120_000);
});
