import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { makeAccount, grant, makeSeries, makeSession } from '../../../test/support/factories.ts';
import { testDb } from '../../../test/support/db.ts';
import { addSeriesPrompts, recordPastRoom } from '../live/index.ts';
import { findSnapshot } from '../publishing/index.ts';
import { compareSeries } from './compare.service.ts';
import { dropEngine } from './engine.ts';
import { exportSeries } from './export.ts';
import { UNIT_COLUMNS } from './export.tabular.ts';
import { reproduceSnapshot, saveFindingsSnapshot } from './findings.service.ts';
import { importSource } from './sources.import.ts';
import { attributeProviders, refreshFromLive } from './sources.live.ts';
import {
  agreement,
  codebookEdits,
  engineFor,
  learnFromDecision,
  openWorkbench,
  recordDecision,
  reviewQueue,
} from './workbench.service.ts';

let h: DbHandle;
beforeAll(async () => {
  h = await testDb();
});
afterAll(async () => {
  await h.close();
});

const CSV = [
  'id,region,prompt_kind,language,text,career_stage,submitted_at',
  'r1,europe,best_practice,en,"Our mentoring scheme pairs new librarians with a senior mentor.",new professional,2022-04-01',
  'r2,europe,best_practice,en,Monthly coaching calls with a leadership coach helped me most.,mid-career,2022-04-01',
  'r3,asia_oceania,best_practice,en,A mentor guided me through my first year as a manager.,new professional,2022-03-23',
  'r4,asia_oceania,need,en,We need leadership training for new professionals.,senior,2022-03-23',
  'r5,europe,need,en,Better communication between the board and members.,senior,2022-04-01',
  'r6,europe,need,en,,senior,2022-04-01',
  'r7,europe,need,en,We need funding for courses.,senior,not a date',
  'r8,latin_america_caribbean,recommendation,es,Formar equipos y aprender a liderar en tiempos de crisis.,mid-career,2022-06-10',
  'r9,europe,best_practice,en,"=HYPERLINK(""http://evil.example"")",mid-career,2022-04-02',
].join('\n');

async function seriesWithCsv() {
  const s = await makeSeries(h.db);
  await openWorkbench(h.db, s.id);
  const r = await importSource(h.db, s.id, { kind: 'csv', name: 'survey.csv', data: Buffer.from(CSV) });
  const { engine } = await engineFor(h.db, s.id);
  return { s, r, engine: engine! };
}

describe('workbench sources', () => {
  it('imports a CSV survey export and reports the rows it could not read', async () => {
    const { r } = await seriesWithCsv();
    expect(r.added).toBe(7);
    expect(r.total).toBe(9);
    expect(r.errors.map((e) => e.message)).toEqual([
      'row 7: the text is empty',
      'row 8, column submitted_at: "not a date" is not a date',
    ]);
  });

  it('pulls live answers with their session, region, prompt kind and attendee attributes, once', async () => {
    const s = await makeSeries(h.db);
    const sessionId = await makeSession(h.db, s, { regionKey: 'sub_saharan_africa' });
    const session = await h.db
      .selectFrom('session')
      .select(['id', 'title'])
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const prompt = newId();
    const { id: room } = await h.db
      .selectFrom('live_room')
      .select('id')
      .where('session_id', '=', sessionId)
      .executeTakeFirstOrThrow();
    const participant = newId();
    const registration = newId();
    await h.db
      .insertInto('live_prompt')
      .values({
        id: prompt,
        series_id: s.id,
        session_id: null,
        type: 'open_text',
        kind: 'need',
        text: '{"en":"What do you need?"}',
        choices: '[]',
        settings: '{}',
        position: 1,
        created_at: now,
      })
      .execute();
    // The session's room came with it; its current prompt is the one above.
    await h.db.updateTable('live_room').set({ current_prompt_id: prompt }).where('id', '=', room).execute();
    await h.db
      .insertInto('live_participant')
      .values({
        id: participant,
        room_id: room,
        key_hash: 'x',
        registration_id: registration,
        // A free-text registration answer reached the participant: it must not reach the analysis copy.
        attributes:
          '{"career_stage":"new professional","access_needs":"I use a wheelchair, call me on +254 700"}',
        language: 'fr',
        created_at: now,
      })
      .execute();
    const answer = (text: string, status: string) => ({
      id: newId(),
      prompt_id: prompt,
      room_id: room,
      session_id: session.id,
      participant_id: participant,
      client_key: newId(),
      vote_key: null,
      text,
      choices: null,
      value: null,
      language: 'fr',
      status,
      pinned: 0,
      answered: 0,
      upvotes: 0,
      created_at: now,
    });
    await h.db
      .insertInto('live_response')
      .values([
        answer('Nous avons besoin de formations au leadership.', 'visible'),
        answer('hidden one', 'hidden'),
      ])
      .execute();
    attributeProviders.push(
      async (_db, seriesId) => new Map(seriesId === s.id ? [[registration, { organisation: 'ABF' }]] : []),
    );
    try {
      expect(await refreshFromLive(h.db, s.id)).toBe(1);
      expect(await refreshFromLive(h.db, s.id)).toBe(0);
    } finally {
      attributeProviders.pop();
    }
    const item = await h.db
      .selectFrom('wb_item')
      .selectAll()
      .where('series_id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(item).toMatchObject({
      region: 'sub_saharan_africa',
      prompt_kind: 'need',
      language: 'fr',
      career_stage: 'new professional',
      session: session.title,
    });
    expect(JSON.parse(item.groups)).toMatchObject({ organisation: 'ABF' });
    expect(item.groups).not.toContain('wheelchair');
  });
});

describe('coding and review', () => {
  it('codes imported units with the default codebook and orders the review queue by uncertainty', async () => {
    const { s, engine } = await seriesWithCsv();
    const items = await h.db
      .selectFrom('wb_item')
      .select(['external_id', 'engine_labels'])
      .where('series_id', '=', s.id)
      .execute();
    const by = new Map(items.map((i) => [i.external_id, i.engine_labels]));
    expect(by.get('r1')).toContain('mentoring');
    expect(by.get('r4')).toContain('leadership_training');
    const q = await reviewQueue(h.db, engine, 3);
    expect(q).toHaveLength(3);
    expect(q[0].uncertainty).toBeGreaterThanOrEqual(q[2].uncertainty);
  });

  it('lets a person override the engine: the heatmap counts change and agreement is measured', async () => {
    const { s } = await seriesWithCsv();
    const coordinator = await grant(h.db, await makeAccount(h.db), s.id, 'coordinator');
    const r5 = await h.db
      .selectFrom('wb_item')
      .select(['id', 'engine_labels'])
      .where('series_id', '=', s.id)
      .where('external_id', '=', 'r5')
      .executeTakeFirstOrThrow();
    const before =
      (await compareSeries(h.db, s.id, {})).comparison.kinds.need.themes.find((t) => t.id === 'funding')
        ?.count ?? 0;
    const ex = await recordDecision(h.db, coordinator, s.id, r5.id, {
      themeKey: 'funding',
      decision: 'accept',
    });
    expect(ex.labels).toContain('funding');
    const learnt = await learnFromDecision(h.db, s.id, ex);
    expect(learnt).not.toBeNull();
    const after = (await compareSeries(h.db, s.id, {})).comparison.kinds.need.themes.find(
      (t) => t.id === 'funding',
    )!.count;
    expect(after).toBe(before + 1);
    const a = await agreement(h.db, s.id);
    expect(a.engine.find((x) => x.themeKey === 'funding')).toMatchObject({ units: 1 });
  });

  it('refuses decisions from presenters and on units of another series', async () => {
    const { s } = await seriesWithCsv();
    const other = await seriesWithCsv();
    const presenter = await grant(h.db, await makeAccount(h.db), s.id, 'presenter');
    const facilitator = await grant(h.db, await makeAccount(h.db), s.id, 'facilitator');
    const foreign = await h.db
      .selectFrom('wb_item')
      .select('id')
      .where('series_id', '=', other.s.id)
      .executeTakeFirstOrThrow();
    const mine = await h.db
      .selectFrom('wb_item')
      .select('id')
      .where('series_id', '=', s.id)
      .executeTakeFirstOrThrow();
    await expect(
      recordDecision(h.db, presenter, s.id, mine.id, { themeKey: 'mentoring', decision: 'accept' }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      recordDecision(h.db, facilitator, s.id, foreign.id, { themeKey: 'mentoring', decision: 'accept' }),
    ).rejects.toMatchObject({ status: 404 });
    await expect(
      recordDecision(h.db, facilitator, s.id, mine.id, { themeKey: 'astrology', decision: 'accept' }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(
      recordDecision(h.db, facilitator, s.id, mine.id, {
        themeKey: 'mentoring',
        decision: 'accept',
        start: 5,
        end: 5000,
      }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('merges themes: people’s codings follow and the engine is rebuilt with the new codebook', async () => {
    const { s } = await seriesWithCsv();
    await codebookEdits.merge(h.db, s.id, 'coaching', 'mentoring');
    dropEngine(s.id);
    const { engine } = await engineFor(h.db, s.id);
    expect(engine!.coder.codebook.themes.map((t) => t.id)).not.toContain('coaching');
    const { comparison } = await compareSeries(h.db, s.id, {});
    expect(comparison.kinds.best_practice.themes.map((t) => t.id)).not.toContain('coaching');
  });
});

describe('findings snapshots', () => {
  it('saves a snapshot through publishing and reproduces it exactly, even after new decisions', async () => {
    const { s } = await seriesWithCsv();
    const coordinator = await grant(h.db, await makeAccount(h.db), s.id, 'coordinator');
    const id = await saveFindingsSnapshot(h.db, s.id, {
      title: 'Until May',
      filters: { asOf: '2022-05-31' },
      edits: { 0: 'Edited by the analyst.' },
    });
    const snap = await findSnapshot(h.db, id);
    expect(snap?.result.findings[0].text).toBe('Edited by the analyst.');
    expect(snap?.params).toMatchObject({ filters: { asOf: '2022-05-31' }, codebookVersion: 1 });
    const r3 = await h.db
      .selectFrom('wb_item')
      .select('id')
      .where('series_id', '=', s.id)
      .where('external_id', '=', 'r3')
      .executeTakeFirstOrThrow();
    await recordDecision(h.db, coordinator, s.id, r3.id, { themeKey: 'mentoring', decision: 'reject' });
    const rep = await reproduceSnapshot(h.db, s.id, id);
    expect(rep.checks.filter((c) => !c.ok)).toEqual([]);
    expect(rep.equal).toBe(true);
  });
});

describe('exports', () => {
  it('guards formulas in CSV only; XLSX read back by SheetJS holds dates as dates, numbers as numbers, text as written', async () => {
    const { s } = await seriesWithCsv();
    const series = { id: s.id, slug: s.slug, title: 'T' };
    const csv = (await exportSeries(h.db, series, 'csv')).body.toString('utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    // Written by exceljs, read by another library (SheetJS), as a spreadsheet program would.
    const book = XLSX.read((await exportSeries(h.db, series, 'xlsx')).body, { cellDates: true });
    const sheet = book.Sheets['Coded units'];
    // The header row is for people (in the export's language); read the columns by their machine names.
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(sheet, {
      raw: true,
      header: [...UNIT_COLUMNS],
      range: 1,
    });
    const col = (name: string) => XLSX.utils.encode_col(UNIT_COLUMNS.indexOf(name));
    const byExternal = new Map(rows.map((r, i) => [String(r.external_id), i + 2]));
    const cell = (ext: string, name: string) =>
      sheet[`${col(name)}${byExternal.get(ext)}`] as XLSX.CellObject | undefined;

    const evil = cell('r9', 'text')!;
    expect(evil.t).toBe('s');
    expect(evil.v).toBe('=HYPERLINK("http://evil.example")');
    expect(evil.f).toBeUndefined();
    expect(rows.some((r) => String(r.text).startsWith("'"))).toBe(false);

    const at = cell('r1', 'submitted_at')!;
    expect(at.t).toBe('d');
    expect((at.v as Date).toISOString().slice(0, 10)).toBe('2022-04-01');
    expect(cell('r8', 'submitted_at')!.t).toBe('d');
    // A value that is not a date stays the text it was.
    const notDate = cell('r7', 'submitted_at');
    if (notDate) expect(notDate.t).toBe('s');

    const confidences = rows
      .map((r, i) => sheet[`${col('engine_confidence')}${i + 2}`] as XLSX.CellObject | undefined)
      .filter((c): c is XLSX.CellObject => c !== undefined);
    expect(confidences.length).toBeGreaterThan(0);
    for (const c of confidences) {
      expect(c.t).toBe('n');
      expect(c.v as number).toBeGreaterThanOrEqual(0);
      expect(c.v as number).toBeLessThanOrEqual(1);
    }
  });

  it('writes REFI-QDA Cases with Variables, so a QDA tool can query by region without classifying by hand', async () => {
    const { s } = await seriesWithCsv();
    const zip = await JSZip.loadAsync(
      (await exportSeries(h.db, { id: s.id, slug: s.slug, title: 'T' }, 'qdpx')).body,
    );
    const qde = await zip.file('project.qde')!.async('string');
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      isArray: (n) => ['Variable', 'Case', 'VariableValue', 'SourceRef', 'TextSource'].includes(n),
    }).parse(qde) as {
      Project: {
        Variables: { Variable: { '@guid': string; '@name': string; '@typeOfVariable': string }[] };
        Cases: {
          Case: {
            '@guid': string;
            '@name': string;
            VariableValue: { VariableRef: { '@targetGUID': string }; TextValue: string }[];
            SourceRef: { '@targetGUID': string }[];
          }[];
        };
        Sources: { TextSource: { '@guid': string }[] };
      };
    };
    // The schema's order: Users, CodeBook, Variables, Cases, Sources.
    expect(qde.indexOf('<Variables>')).toBeGreaterThan(qde.indexOf('</CodeBook>'));
    expect(qde.indexOf('<Cases>')).toBeGreaterThan(qde.indexOf('</Variables>'));
    expect(qde.indexOf('<Sources>')).toBeGreaterThan(qde.indexOf('</Cases>'));
    const vars = new Map(doc.Project.Variables.Variable.map((v) => [v['@guid'], v['@name']]));
    expect([...vars.values()]).toEqual(
      expect.arrayContaining(['region', 'country', 'career_stage', 'language', 'session']),
    );
    expect(doc.Project.Variables.Variable.every((v) => v['@typeOfVariable'] === 'Text')).toBe(true);
    const sources = new Set(doc.Project.Sources.TextSource.map((t) => t['@guid']));
    const cases = doc.Project.Cases.Case;
    expect(cases.map((c) => c['@name']).sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r8', 'r9']);
    for (const c of cases) for (const r of c.SourceRef) expect(sources.has(r['@targetGUID'])).toBe(true);
    const valuesOf = (name: string) =>
      Object.fromEntries(
        cases
          .find((c) => c['@name'] === name)!
          .VariableValue.map((v) => [vars.get(v.VariableRef['@targetGUID']), String(v.TextValue)]),
      );
    expect(valuesOf('r3')).toMatchObject({
      region: 'Asia-Oceania',
      career_stage: 'new professional',
      language: 'en',
    });
    expect(valuesOf('r8')).toMatchObject({ region: 'Latin America and the Caribbean', language: 'es' });
    // An imported row's free text never becomes a variable.
    expect(qde).not.toMatch(/<TextValue>[^<]*mentor/i);
  });

  it('makes one REFI-QDA Case per live participant, by a pseudonym, with their answers as its sources', async () => {
    const s = await makeSeries(h.db);
    const session = await makeSession(h.db, s, { regionKey: 'europe' });
    const [prompt] = await addSeriesPrompts(h.db, s.id, [
      { kind: 'need', text: { en: 'What do you need?' }, position: 1, createdAt: new Date().toISOString() },
    ]);
    const at = new Date().toISOString();
    await recordPastRoom(h.db, {
      seriesId: s.id,
      sessionId: session,
      openedAt: at,
      prompts: [{ id: prompt, position: 1 }],
      participants: [
        { attributes: { career_stage: 'student' }, language: 'en' },
        { attributes: { career_stage: 'senior' }, language: 'de' },
      ],
      answers: [
        {
          promptId: prompt,
          participant: 0,
          text: 'A quiet room to study in the evening.',
          language: 'en',
          at,
        },
        { promptId: prompt, participant: 0, text: 'Someone to check my thesis plan.', language: 'en', at },
        {
          promptId: prompt,
          participant: 1,
          text: 'Mehr Zeit für Weiterbildung im Dienst.',
          language: 'de',
          at,
        },
      ],
    });
    expect(await refreshFromLive(h.db, s.id)).toBe(3);
    const qde = await (
      await JSZip.loadAsync((await exportSeries(h.db, { id: s.id, slug: s.slug, title: 'T' }, 'qdpx')).body)
    )
      .file('project.qde')!
      .async('string');
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      isArray: (n) => ['Variable', 'Case', 'VariableValue', 'SourceRef'].includes(n),
    }).parse(qde) as {
      Project: {
        Variables: { Variable: { '@guid': string; '@name': string }[] };
        Cases: { Case: { '@name': string; VariableValue: { TextValue: string }[]; SourceRef: unknown[] }[] };
      };
    };
    const cases = doc.Project.Cases.Case.map((c) => [c['@name'], c.SourceRef.length]).sort();
    expect(cases).toEqual([
      ['Participant 1', 2],
      ['Participant 2', 1],
    ]);
    const student = doc.Project.Cases.Case.find((c) => c.SourceRef.length === 2)!;
    expect(student.VariableValue.map((v) => String(v.TextValue))).toContain('student');
    // The pseudonym groups the answers; it is neither a variable nor the participant's id.
    expect(doc.Project.Variables.Variable.map((v) => v['@name'])).not.toContain('participant');
    const ids = await h.db.selectFrom('live_participant').select('id').execute();
    for (const { id } of ids) expect(qde).not.toContain(id);
  });

  it('writes a REFI-QDA project with the required elements and attributes', async () => {
    const { s } = await seriesWithCsv();
    const coordinator = await grant(
      h.db,
      await makeAccount(h.db, { name: 'Ana Analyst' }),
      s.id,
      'coordinator',
    );
    const r8 = await h.db
      .selectFrom('wb_item')
      .select(['id', 'text'])
      .where('series_id', '=', s.id)
      .where('external_id', '=', 'r8')
      .executeTakeFirstOrThrow();
    await recordDecision(h.db, coordinator, s.id, r8.id, {
      themeKey: 'team_building',
      decision: 'accept',
      start: 0,
      end: 14,
    });
    const zip = await JSZip.loadAsync(
      (await exportSeries(h.db, { id: s.id, slug: s.slug, title: 'Série <&>' }, 'qdpx')).body,
    );
    const qde = await zip.file('project.qde')!.async('string');
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      isArray: (n) => ['User', 'Code', 'TextSource', 'PlainTextSelection'].includes(n),
    }).parse(qde) as {
      Project: {
        '@xmlns': string;
        '@name': string;
        Users: { User: { '@guid': string; '@name': string }[] };
        CodeBook: { Codes: { Code: { '@guid': string; '@name': string; '@isCodable': string }[] } };
        Sources: {
          TextSource: {
            '@guid': string;
            '@name': string;
            '@plainTextPath': string;
            PlainTextSelection?: {
              '@startPosition': string;
              '@endPosition': string;
              '@creatingUser': string;
              Coding: { '@guid': string; CodeRef: { '@targetGUID': string } };
            }[];
          }[];
        };
      };
    };
    const p = doc.Project;
    expect(p['@xmlns']).toBe('urn:QDA-XML:project:1.0');
    expect(p['@name']).toBe('Série <&>');
    expect(p.Users.User.map((u) => u['@name'])).toEqual(
      expect.arrayContaining(['Colloquy engine', 'Ana Analyst']),
    );
    const codes = p.CodeBook.Codes.Code;
    expect(codes.length).toBe(19);
    expect(
      codes.every((c) => /^[0-9a-f-]{36}$/.test(c['@guid']) && c['@name'] && c['@isCodable'] === 'true'),
    ).toBe(true);
    const sources = p.Sources.TextSource;
    expect(sources).toHaveLength(7);
    for (const src of sources) {
      expect(src['@plainTextPath']).toBe(`internal://${src['@guid']}.txt`);
      expect(zip.file(`sources/${src['@guid']}.txt`)).not.toBeNull();
    }
    const codeGuids = new Set(codes.map((c) => c['@guid']));
    const sels = sources.flatMap((x) => x.PlainTextSelection ?? []);
    expect(sels.length).toBeGreaterThan(0);
    expect(
      sels.every(
        (x) =>
          codeGuids.has(x.Coding.CodeRef['@targetGUID']) &&
          Number(x['@startPosition']) < Number(x['@endPosition']),
      ),
    ).toBe(true);
    const r8src = sources.find((x) => x['@guid'] === r8.id)!;
    const span = r8src.PlainTextSelection!.find((x) => x['@creatingUser'] === coordinator.accountId)!;
    expect([span['@startPosition'], span['@endPosition']]).toEqual(['0', '14']);
    const qdc = (await exportSeries(h.db, { id: s.id, slug: s.slug, title: 'T' }, 'qdc')).body.toString(
      'utf8',
    );
    expect(qdc).toContain('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"');
  });

  it('writes the report as Markdown and as DOCX with PNG charts', async () => {
    const { s } = await seriesWithCsv();
    const series = { id: s.id, slug: s.slug, title: 'Leaders' };
    const md = (await exportSeries(h.db, series, 'md')).body.toString('utf8');
    expect(md).toMatch(/^# Leaders/);
    expect(md).toContain('Mentoring');
    const docx = await JSZip.loadAsync((await exportSeries(h.db, series, 'docx')).body);
    const media = Object.keys(docx.files).filter((f) => f.startsWith('word/media/'));
    expect(media.length).toBeGreaterThan(0);
    expect((await docx.file(media[0])!.async('nodebuffer')).subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('writes the headings and column labels of XLSX, Markdown and DOCX in the language asked for', async () => {
    const { s } = await seriesWithCsv();
    const series = { id: s.id, slug: s.slug, title: 'Leaders' };
    const book = XLSX.read((await exportSeries(h.db, series, 'xlsx', {}, 'fr')).body);
    expect(book.SheetNames).toEqual(['Unités codées', 'Livre de codes']);
    const header = XLSX.utils.sheet_to_json<string[]>(book.Sheets['Unités codées'], { header: 1 })[0];
    expect(header).toContain('Identifiant dans la source');
    expect(header).toContain('Région');
    expect(header).not.toContain('external_id');
    const en = XLSX.read((await exportSeries(h.db, series, 'xlsx')).body);
    expect(en.SheetNames[0]).toBe('Coded units');

    const md = (await exportSeries(h.db, series, 'md', {}, 'fr')).body.toString('utf8');
    expect(md).toMatch(/^# Leaders\n\n# Constats\n/);
    expect(md).toContain('| thème | nombre | part | IC à 95 % |');
    expect(md).not.toMatch(/coded responses|Across the groups/);

    const docx = await JSZip.loadAsync((await exportSeries(h.db, series, 'docx', {}, 'ar')).body);
    const xml = await docx.file('word/document.xml')!.async('string');
    expect(xml).toContain('النتائج');
    expect(xml).toContain('الموضوع (الأشرطة من الأعلى إلى الأسفل)');
    expect(xml).not.toMatch(/Theme \(bars top to bottom\)|>Findings</);
    // CSV keeps its machine column names in every language.
    const csv = (await exportSeries(h.db, series, 'csv', {}, 'ar')).body.toString('utf8');
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe(UNIT_COLUMNS.join(','));
  });
});

describe('the compare page’s aggregated units', () => {
  it('give the same comparison as the units one by one, with people’s decisions and an as-of date', async () => {
    const { compareCube } = await import('./compare.cube.ts');
    const { s } = await seriesWithCsv();
    const coordinator = await grant(h.db, await makeAccount(h.db), s.id, 'coordinator');
    const r2 = await h.db
      .selectFrom('wb_item')
      .select('id')
      .where('series_id', '=', s.id)
      .where('external_id', '=', 'r2')
      .executeTakeFirstOrThrow();
    await recordDecision(h.db, coordinator, s.id, r2.id, { themeKey: 'coaching', decision: 'reject' });
    for (const f of [{}, { asOf: '2022-04-01' }, { careerStage: 'senior' }]) {
      const one = (await compareSeries(h.db, s.id, f)).comparison;
      const agg = (await compareCube(h.db, s.id, f)).comparison;
      expect(agg).toEqual(one);
    }
  });
});

describe('background coding', () => {
  it('codes a series as a job whose progress reaches the total', async () => {
    const { startCodingJob } = await import('./coding.job.ts');
    const s = await makeSeries(h.db);
    await openWorkbench(h.db, s.id);
    const rows = Array.from(
      { length: 250 },
      (_, i) => `r${i},europe,need,We need leadership training number ${i}.`,
    ).join('\n');
    await importSource(h.db, s.id, {
      kind: 'csv',
      name: 'big',
      data: Buffer.from(`id,region,prompt_kind,text\n${rows}\n`),
    });
    const jobId = await startCodingJob(h.db, s.id);
    await expect
      .poll(
        async () =>
          (await h.db.selectFrom('wb_job').select('status').where('id', '=', jobId).executeTakeFirstOrThrow())
            .status,
        { timeout: 20_000 },
      )
      .toBe('done');
    const job = await h.db.selectFrom('wb_job').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    expect([job.done, job.total]).toEqual([250, 250]);
    const uncoded = await h.db
      .selectFrom('wb_item')
      .select('id')
      .where('series_id', '=', s.id)
      .where('engine_confidence', 'is', null)
      .execute();
    expect(uncoded).toEqual([]);
  });
});
