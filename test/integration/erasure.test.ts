// Erasure reaches every copy of a person's words: a live answer given through their registration link,
// the workbench's copy of it, the stored inputs of a snapshot and the quote a snapshot (and so a post)
// shows. After erasure in either mode a byte search of the SQLite files (main and WAL) or a search of
// every text column on PostgreSQL finds no copy, and the quote says it was removed.
import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { findSnapshot, renderSnapshot } from '../../src/modules/publishing/index.ts';
import { eraseEmail, exportData, register } from '../../src/modules/registration/index.ts';
import { prepareExport, saveFindingsSnapshot } from '../../src/modules/workbench/index.ts';
import type { Running } from '../../src/server/index.ts';
import { inTransaction } from '../../src/server/tx.ts';
import { DIALECT } from '../support/db.ts';
import { grant, makeAccount, makeSeries, makeSession, unique } from '../support/factories.ts';
import { recordDecision } from '../../src/modules/workbench/workbench.service.ts';
import { testServer } from '../support/server.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => srv.close());

/** Whether any stored copy of `needle` is left: raw SQLite bytes, or every text column on PostgreSQL. */
async function stored(needle: string): Promise<boolean> {
  if (DIALECT === 'sqlite') {
    const file = srv.ctx.sqlite!.name;
    const bytes = Buffer.concat([
      readFileSync(file),
      existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0),
    ]);
    return bytes.includes(Buffer.from(needle, 'utf8'));
  }
  const cols = await sql<{ table_name: string; column_name: string }>`select table_name, column_name
    from information_schema.columns where table_schema = current_schema()
    and data_type in ('text', 'character varying', 'json', 'jsonb')`.execute(srv.ctx.db);
  for (const c of cols.rows) {
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(c.table_name)}
      where ${sql.ref(c.column_name)}::text like ${`%${needle}%`}`.execute(srv.ctx.db);
    if (r.rows[0].n > 0) return true;
  }
  return false;
}

/** A registrant who answered in the live room through their link, copied by the workbench and quoted. */
async function quotedAttendee(marker: string) {
  const db = srv.ctx.db;
  const s = await makeSeries(db);
  const sessionId = await makeSession(db, s, { regionKey: 'europe', daysAhead: 3 });
  const email = `${marker.toLowerCase()}@example.org`;
  const reg = await register(db, s.id, {
    name: `Name ${marker}`,
    email,
    country: 'KE',
    affiliation: '',
    answers: { career_stage: 'new' },
    language: 'en',
    sessionIds: [sessionId],
    consent: true,
    newsOptIn: false,
  });
  const now = new Date().toISOString();
  // The session's live room came with it.
  const { id: roomId } = await db
    .selectFrom('live_room')
    .select('id')
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow();
  const participant = newId();
  await db
    .insertInto('live_participant')
    .values({
      id: participant,
      room_id: roomId,
      key_hash: unique('k'),
      registration_id: reg.registrations[0].id,
      attributes: '{"career_stage":"new"}',
      language: 'en',
      created_at: now,
    })
    .execute();
  const promptId = newId();
  await db
    .insertInto('live_prompt')
    .values({
      id: promptId,
      series_id: s.id,
      session_id: sessionId,
      type: 'open_text',
      kind: 'need',
      text: '{"en":"What do you need?"}',
      choices: '[]',
      settings: '{}',
      position: 0,
      created_at: now,
    })
    .execute();
  await db
    .insertInto('live_response')
    .values({
      id: newId(),
      prompt_id: promptId,
      room_id: roomId,
      session_id: sessionId,
      participant_id: participant,
      client_key: unique('c'),
      vote_key: null,
      text: `Our team needs leadership training from ${marker} soon.`,
      choices: null,
      value: null,
      language: 'en',
      status: 'visible',
      pinned: 0,
      answered: 0,
      upvotes: 0,
      created_at: now,
    })
    .execute();
  // Pulled into the workbench and coded by the engine, as opening the workbench does.
  await prepareExport(db, s.id);
  // A person confirms the theme, so the findings may quote the answer.
  const coordinator = await grant(db, await makeAccount(db), s.id, 'coordinator');
  const item = await db
    .selectFrom('wb_item')
    .select('id')
    .where('series_id', '=', s.id)
    .executeTakeFirstOrThrow();
  await recordDecision(db, coordinator, s.id, item.id, {
    themeKey: 'leadership_training',
    decision: 'accept',
  });
  const snapshotId = await saveFindingsSnapshot(db, s.id, { title: 'Findings', filters: {}, edits: {} });
  return { s, email, token: reg.token, snapshotId };
}

describe(`erasure reaches every copy (${DIALECT})`, () => {
  for (const mode of ['delete', 'anonymise'] as const) {
    it(`leaves no copy of the person's words after erasure (${mode})`, async () => {
      const marker = `Mk${newId().replace(/-/g, '').slice(-12)}${mode}`;
      const a = await quotedAttendee(marker);
      const snap = (await findSnapshot(srv.ctx.db, a.snapshotId))!;
      expect(JSON.stringify(snap.result)).toContain(marker);
      const exported = JSON.stringify(await exportData(srv.ctx.db, a.token));
      expect(exported).toContain(marker);
      expect(await stored(marker)).toBe(true);

      await inTransaction(srv.ctx.db, (trx) => eraseEmail(trx, a.email, mode));
      srv.ctx.sqlite?.pragma('wal_checkpoint(TRUNCATE)');

      expect(await stored(marker)).toBe(false);
      const after = (await findSnapshot(srv.ctx.db, a.snapshotId))!;
      const quotes = after.result.findings.flatMap((f) => f.quotes);
      expect(quotes.some((q) => q.erased)).toBe(true);
      expect(renderSnapshot(after).toString()).toContain('removed at the request of the person who said it');
    });
  }
});
