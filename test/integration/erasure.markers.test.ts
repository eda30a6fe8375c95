// Erasure, walked the way a person and the team would do it over HTTP: a unique marker goes into every
// path that can carry personal data, the person's export shows each one, and after erasure through the
// manage link (the page form in one mode, the API in the other) no copy is left anywhere: not in the
// SQLite main file or its write-ahead log (this test never checkpoints: the product must), not in any
// text column on PostgreSQL, and not in the server's logs (captured at the level production uses, with
// request logging on).
//
// The paths: the name; the e-mail's local part; a free-text registration answer; a live answer given
// through the registration link (?reg=TOKEN) and the participant's attributes; the workbench's copy of
// it (Refresh from live) and an imported CSV row naming the person (name and e-mail columns, a marker in
// the answer); a snapshot quoting both and the published post embedding it; a comment on that post with
// the same e-mail; the mails to the person and the held-comment mail to the coordinators about them;
// a stored export file of the series (an export job's CSV, kept as a blob or bytea until it expires).
//
// A marker in a choice answer: registration questions offer fixed options only (no "other, please
// specify" text), so a choice answer is an option value that the coordinators wrote. The value itself is
// not personal and stays in the question's definition; what is personal is that this person chose it.
// So the choice marker is an option value used only by this person, and the test looks at who holds it:
// after deletion only the question's definition does; after anonymisation the registration keeps the
// choice for analysis (no name, no e-mail, no manage link, unlinked from the live participant), and so may
// a snapshot's stored inputs, as an attribute of an anonymous counted unit.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { runDueJobs } from '../../src/modules/notify/index.ts';
import { jobContext } from '../../src/modules/registration/registration.routes.ts';
import type { Running } from '../../src/server/index.ts';
import { DIALECT } from '../support/db.ts';
import { makeSeries, makeSession, unique } from '../support/factories.ts';
import { anonymous, login, testServer, type Client } from '../support/server.ts';

let srv: Running;
const logFile = join(mkdtempSync(join(tmpdir(), 'colloquy-log-')), 'server.log');
beforeAll(async () => {
  // Request logging on as well: URLs must not carry personal data either.
  process.env.LOG_REQUESTS = '1';
  writeFileSync(logFile, '');
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      appendFileSync(logFile, chunk);
      done();
    },
  });
  srv = await testServer(
    { PUBLIC_URL: 'https://colloquy.example.org', COLLOQUY_JOBS: '0' },
    { logger: { level: 'info', stream } },
  );
});
afterAll(async () => {
  await srv?.close();
  delete process.env.LOG_REQUESTS;
});

/** The tables and columns that hold `needle` (every text, JSON or blob column, on either database). */
async function holders(needle: string): Promise<string[]> {
  const db = srv.ctx.db;
  const cols =
    DIALECT === 'sqlite'
      ? (
          await sql<{
            table_name: string;
            column_name: string;
          }>`select m.name as table_name, p.name as column_name
            from sqlite_master m join pragma_table_info(m.name) p
            where m.type = 'table' and m.name not like 'sqlite_%'
            and (p.type in ('text', 'TEXT', 'blob', 'BLOB', 'json') or p.type = '')`.execute(db)
        ).rows
      : (
          await sql<{
            table_name: string;
            column_name: string;
            data_type: string;
          }>`select table_name, column_name, data_type
            from information_schema.columns where table_schema = current_schema()
            and data_type in ('text', 'character varying', 'json', 'jsonb', 'bytea')`.execute(db)
        ).rows;
  const out: string[] = [];
  for (const c of cols) {
    // bytea as text is its hex form: searched in its escape form instead (files: uploads, exports).
    const asText =
      DIALECT === 'postgres' && 'data_type' in c && c.data_type === 'bytea'
        ? sql`encode(${sql.ref(c.column_name)}, 'escape')`
        : DIALECT === 'postgres'
          ? sql`${sql.ref(c.column_name)}::text`
          : sql`cast(${sql.ref(c.column_name)} as text)`;
    const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(c.table_name)}
      where ${asText} like ${`%${needle}%`}`.execute(db);
    if (Number(r.rows[0].n) > 0) out.push(`${c.table_name}.${c.column_name}`);
  }
  return out;
}

/** Whether any byte of the SQLite files (main and WAL, as they are: no checkpoint here) holds `needle`. */
function inSqliteFiles(needle: string): boolean {
  const file = srv.ctx.sqlite!.name;
  const bytes = Buffer.concat([
    readFileSync(file),
    existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0),
  ]);
  return bytes.includes(Buffer.from(needle, 'utf8'));
}

/** Whether a stored copy of `needle` is left: raw SQLite bytes, or every text column on PostgreSQL. */
async function stored(needle: string): Promise<boolean> {
  if (DIALECT === 'sqlite') return inSqliteFiles(needle);
  return (await holders(needle)).length > 0;
}

/** Whether the server's log file holds `needle` (a byte search). */
const inLogs = (needle: string) => readFileSync(logFile).includes(Buffer.from(needle, 'utf8'));

function multipart(client: Client, url: string, fields: Record<string, string>, file?: string) {
  const boundary = '----colloquy-marker-boundary';
  const parts = Object.entries({ _csrf: client.csrf, ...fields }).map(
    ([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  if (file)
    parts.push(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="answers.csv"\r\ncontent-type: text/csv\r\n\r\n${file}\r\n`,
    );
  return srv.app.inject({
    method: 'POST',
    url,
    headers: { cookie: client.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `${parts.join('')}--${boundary}--\r\n`,
  });
}

/** One marker per path; lower case, since e-mail addresses are stored in lower case. */
function markers(mode: string) {
  const id = newId().replace(/-/g, '').slice(-10);
  const m = (path: string) => `zq${id}${path}${mode.slice(0, 3)}`;
  return {
    name: m('name'),
    email: m('mail'),
    text: m('freetext'),
    choice: m('choice'),
    live: m('live'),
    imported: m('import'),
    comment: m('comment'),
  };
}

/** A person registered, answered live through their link, was imported, quoted, published and commented. */
async function personEverywhere(mk: ReturnType<typeof markers>) {
  const db = srv.ctx.db;
  const s = await makeSeries(db);
  const sessionId = await makeSession(db, s, { regionKey: 'europe', daysAhead: 3 });
  const admin = await login(srv, s.admin.email);
  const ok = (res: { statusCode: number; body: string }, status = 200) =>
    expect(res.statusCode, res.body.slice(0, 400)).toBe(status);

  // The registration form: a choice (fixed options) and a free-text question.
  ok(
    await admin.request('PUT', `/api/series/${s.id}/registration-questions`, {
      questions: [
        {
          key: 'career_stage',
          label: { en: 'Career stage' },
          type: 'select',
          options: [
            { value: 'new', label: { en: 'New' } },
            { value: mk.choice, label: { en: 'Between roles' } },
          ],
        },
        { key: 'hopes', label: { en: 'What do you hope for?' }, type: 'text' },
      ],
    }),
  );
  const name = `Ada ${mk.name}`;
  const email = `${mk.email}@example.org`;
  ok(
    await anonymous(srv).request('POST', `/api/series/${s.id}/registrations`, {
      name,
      email,
      country: 'KE',
      affiliation: '',
      answers: { career_stage: mk.choice, hopes: `I hope ${mk.text} comes up` },
      language: 'en',
      consent: true,
      newsOptIn: false,
      sessionIds: [sessionId],
    }),
    201,
  );
  await runDueJobs(jobContext(srv.app));
  const confirmation = await db
    .selectFrom('mail_log')
    .select('text_body')
    .where('to_address', '=', email)
    .executeTakeFirstOrThrow();
  const token = [...confirmation.text_body.matchAll(/\/registrations\/([\w-]+)(?![\w/-])/g)][0]?.[1];
  expect(token, confirmation.text_body).toBeTruthy();

  // The live room: the person joins through their registration link and answers.
  const room = (await admin.request('GET', `/api/sessions/${sessionId}/live`)).json<{
    roomId: string;
    code: string;
    prompts: { id: string }[];
  }>();
  const created = await admin.request('POST', `/api/live/rooms/${room.roomId}/prompts`, {
    type: 'open_text',
    kind: 'need',
    text: { en: 'What do you need?' },
  });
  ok(created, 201);
  const promptId = created.json<{ prompts: { id: string }[] }>().prompts.at(-1)!.id;
  ok(
    await admin.request('POST', `/api/live/rooms/${room.roomId}/prompts/${promptId}/actions`, {
      action: 'open',
    }),
  );
  const joined = await srv.app.inject({ method: 'GET', url: `/j/${room.code}?reg=${token}` });
  expect(joined.statusCode).toBeLessThan(400);
  const participant = joined.cookies.find((c) => c.name === 'colloquy_p')!;
  expect(participant).toBeTruthy();
  const answered = await srv.app.inject({
    method: 'POST',
    url: `/api/rooms/${room.code}/responses`,
    headers: { cookie: `colloquy_p=${participant.value}` },
    payload: {
      promptId,
      clientKey: unique('c'),
      text: `Our team needs leadership training from ${mk.live} soon.`,
    },
  });
  ok(answered, 201);

  // The workbench: pulls the answer in, and imports a file with a row naming the person.
  ok(await admin.request('POST', `/api/series/${s.id}/workbench/refresh`));
  const csv =
    'id,name,email,region,prompt_kind,text\n' +
    `r1,${name},${email},europe,need,We need leadership training like ${mk.imported} said.\n` +
    'r2,Someone Else,someone.else@example.org,europe,need,We need funding for travel.\n';
  const base = `/console/series/${s.id}/workbench`;
  const preview = await multipart(
    admin,
    `${base}/import`,
    { step: 'preview', kind: 'csv', name: 'survey' },
    csv,
  );
  ok(preview);
  const upload = /name="upload" value="([^"]+)"/.exec(preview.body)![1];
  const committed = await multipart(admin, `${base}/import`, {
    step: 'commit',
    kind: 'csv',
    name: 'survey',
    upload,
    map_text: 'text',
    map_id: 'id',
    map_region: 'region',
    map_kind: 'prompt_kind',
    map_speaker: 'name',
  });
  ok(committed);
  expect(committed.body).toContain('Imported 2 responses');

  // A person confirms the theme on both units, so the findings may quote them; a snapshot, a post.
  const items = await db
    .selectFrom('wb_item')
    .select(['id', 'text'])
    .where('series_id', '=', s.id)
    .where('text', 'like', '%leadership training%')
    .execute();
  expect(items).toHaveLength(2);
  for (const item of items)
    ok(
      await admin.request('POST', `/api/series/${s.id}/workbench/items/${item.id}/codings`, {
        themeKey: 'leadership_training',
        decision: 'accept',
      }),
      201,
    );
  const snap = await admin.request('POST', `/api/series/${s.id}/workbench/snapshots`, {
    title: 'What we heard',
    filters: {},
    edits: {},
  });
  ok(snap, 201);
  const snapshotId = snap.json<{ id: string }>().id;
  const postSlug = unique('heard').toLowerCase();
  const post = await admin.request('POST', `/api/series/${s.id}/posts`, {
    slug: postSlug,
    title: 'What we heard',
    bodyMd: 'The findings of the first sessions.',
    status: 'published',
    snapshotId,
  });
  ok(post, 201);
  const postId = post.json<{ id: string }>().id;
  const postUrl = `/series/${s.slug}/posts/${postSlug}`;
  const page = await anonymous(srv).request('GET', postUrl);
  ok(page);
  expect(page.body).toContain(mk.live);
  expect(page.body).toContain(mk.imported);

  // The person comments with the same e-mail; the first comment is held and the coordinators told.
  ok(
    await anonymous(srv).request('POST', `/api/posts/${postId}/comments`, {
      name,
      email,
      body: `Thank you, the point about ${mk.comment} matters to us.`,
    }),
    201,
  );
  const held = await db
    .selectFrom('mail_log')
    .select(['to_address', 'text_body'])
    .where('kind', '=', 'comment_held')
    .where('text_body', 'like', `%${mk.comment}%`)
    .execute();
  expect(held.length).toBeGreaterThan(0);
  expect(held.every((m) => m.to_address !== email)).toBe(true);
  expect(held[0].text_body).toContain(mk.name);

  // An export job of the series: its stored file holds both answers.
  const asked = await admin.request('POST', `/api/series/${s.id}/workbench/exports`, { format: 'csv' });
  ok(asked, 202);
  const exportUrl = asked.json<{ statusUrl: string }>().statusUrl;
  await runDueJobs(jobContext(srv.app));
  await expect
    .poll(async () => (await admin.request('GET', exportUrl)).json<{ status: string }>().status, {
      timeout: 60_000,
    })
    .toBe('done');
  const file = await admin.request('GET', `${exportUrl}/file`);
  ok(file);
  expect(file.body).toContain(mk.live);
  expect(file.body).toContain(mk.imported);
  expect(await holders(mk.live)).toContain('wb_export.body');

  return { s, email, token: token!, snapshotId, postUrl, admin, exportUrl };
}

describe(`erasure leaves no marker anywhere (${DIALECT})`, () => {
  for (const mode of ['delete', 'anonymise'] as const) {
    it(`finds every path's marker in the export and none after erasure (${mode})`, async () => {
      const mk = markers(mode);
      const p = await personEverywhere(mk);
      const { choice, ...others } = mk;

      const exported = await anonymous(srv).request('GET', `/registrations/${p.token}/export`);
      expect(exported.statusCode).toBe(200);
      for (const [path, marker] of Object.entries(mk))
        expect(exported.body, `the export shows the ${path} marker`).toContain(marker);
      // It says which mails were about the person (the held comment to the coordinators).
      expect(exported.body).toContain('comment_held');
      for (const marker of Object.values(others)) expect(await stored(marker)).toBe(true);

      if (mode === 'delete') {
        // The manage page's form, as a person without JavaScript would use it.
        const managePage = await anonymous(srv).request('GET', `/registrations/${p.token}`);
        const csrf = /name="_csrf" value="([^"]+)"/.exec(managePage.body)![1];
        const cookie = managePage.cookies.find((c) => c.name === 'colloquy_csrf')!.value;
        const erased = await srv.app.inject({
          method: 'POST',
          url: `/registrations/${p.token}/erase`,
          headers: { cookie: `colloquy_csrf=${cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ _csrf: csrf, mode }).toString(),
        });
        expect(erased.statusCode, erased.body.slice(0, 300)).toBe(200);
      } else {
        const erased = await anonymous(srv).request('POST', `/api/registrations/${p.token}/erase`, { mode });
        expect(erased.statusCode, erased.body).toBe(200);
      }

      for (const [path, marker] of Object.entries(others)) {
        expect(await holders(marker), `no row holds the ${path} marker`).toEqual([]);
        if (DIALECT === 'sqlite')
          expect(inSqliteFiles(marker), `no SQLite byte holds the ${path} marker`).toBe(false);
        expect(inLogs(marker), `the logs do not hold the ${path} marker`).toBe(false);
      }
      expect(inLogs(choice)).toBe(false);
      const choiceHolders = await holders(choice);
      if (mode === 'delete') expect(choiceHolders).toEqual(['registration_question.options']);
      else {
        // Kept for analysis, unlinked: no name, no e-mail, no live participant pointing at it.
        expect(
          choiceHolders.filter(
            (h) =>
              ![
                'registration_question.options',
                'registration.answers',
                'wb_item.groups',
                'wb_snapshot_input.labels',
              ].includes(h),
          ),
        ).toEqual([]);
        const kept = await srv.ctx.db
          .selectFrom('registration')
          .select(['id', 'name', 'email'])
          .where('series_id', '=', p.s.id)
          .execute();
        expect(kept).toHaveLength(1);
        expect(kept[0]).toMatchObject({ name: '', email: `erased-${kept[0].id}@erased.invalid` });
        const linked = await srv.ctx.db
          .selectFrom('live_participant')
          .select('id')
          .where('registration_id', '=', kept[0].id)
          .execute();
        expect(linked).toEqual([]);
      }

      // The stored export file went with the person's words.
      expect((await p.admin.request('GET', p.exportUrl)).statusCode).toBe(404);

      // Request lines were logged, naming routes: no manage link (a secret) and no IP address.
      expect(inLogs('"route":"/registrations/:token/export"')).toBe(true);
      expect(inLogs(p.token)).toBe(false);
      expect(inLogs('127.0.0.1')).toBe(false);

      // The snapshot still reproduces from its stored inputs (without the person's words).
      const reproduced = await p.admin.request(
        'GET',
        `/api/series/${p.s.id}/workbench/snapshots/${p.snapshotId}`,
      );
      expect(reproduced.statusCode, reproduced.body.slice(0, 300)).toBe(200);

      // The snapshot and the post say the quote was removed at the person's request.
      const after = await anonymous(srv).request('GET', p.postUrl);
      expect(after.statusCode).toBe(200);
      expect(after.body).toContain('removed at the request of the person who said it');
      // A slow machine: the import's preview and commit each read the file in a worker thread.
    }, 360_000);
  }

  it('leaves no copy of a commenter after the admins erase them from the console', async () => {
    const mk = markers('console');
    const s = await makeSeries(srv.ctx.db);
    const admin = await login(srv, s.admin.email);
    const slug = unique('notes').toLowerCase();
    const post = await admin.request('POST', `/api/series/${s.id}/posts`, {
      slug,
      title: 'Notes',
      bodyMd: 'Notes from the sessions.',
      status: 'published',
    });
    expect(post.statusCode, post.body).toBe(201);
    const email = `${mk.email}@example.org`;
    const commented = await anonymous(srv).request(
      'POST',
      `/api/posts/${post.json<{ id: string }>().id}/comments`,
      { name: `Ada ${mk.name}`, email, body: `The part about ${mk.comment} was new to me.` },
    );
    expect(commented.statusCode, commented.body).toBe(201);
    const exported = await admin.request('POST', '/api/publishing/commenters/export', { email });
    expect(exported.statusCode).toBe(200);
    for (const marker of [mk.name, mk.email, mk.comment]) expect(exported.body).toContain(marker);
    expect(exported.json<{ mailsAboutYou: unknown[] }>().mailsAboutYou.length).toBeGreaterThan(0);

    const erased = await admin.request('POST', '/api/publishing/commenters/erase', { email });
    expect(erased.statusCode, erased.body).toBe(200);
    for (const marker of [mk.name, mk.email, mk.comment]) {
      expect(await stored(marker), marker).toBe(false);
      expect(inLogs(marker), marker).toBe(false);
    }
  }, 120_000);
});
