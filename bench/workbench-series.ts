// A workbench series of N distinct responses for the workbench benchmarks (compare, export): a server
// on SQLite (a fresh data folder) or PostgreSQL (DATABASE_URL), an administrator, a draft series, and
// N responses generated from our own fragments (every text different), spread over six regions,
// three prompt kinds, sessions, career stages and dates, inserted in one transaction.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../src/lib/ids.ts';
import { createAdmin } from '../src/modules/accounts/index.ts';
import { createSeries } from '../src/modules/series/index.ts';
import { ensureState, insertItems } from '../src/modules/workbench/workbench.repository.ts';
import { loadConfig } from '../src/server/config.ts';
import { createServer } from '../src/server/index.ts';
import { distinctUnits } from './units.ts';

/** A server (not listening), an administrator who can sign in, and an empty draft series. */
export async function benchWorkbench(name: string, title = 'Bench series') {
  const dataDir = mkdtempSync(join(tmpdir(), `colloquy-bench-${name}-`));
  const config = loadConfig(
    { port: 0, host: '127.0.0.1', dataDir, demo: false },
    { ...process.env, LOG_LEVEL: 'warn' },
  );
  const srv = await createServer(config, { logger: false });
  const db = srv.ctx.db;
  const email = `bench-${newId()}@example.org`;
  const password = 'bench password 2022';
  await createAdmin(db, { email, name: 'Bench', password });
  const admin = await db
    .selectFrom('account')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const actor = {
    accountId: admin.id,
    email,
    name: 'Bench',
    isAdmin: true,
    grants: [],
    sessionId: '',
    csrfToken: '',
  };
  const slug = `bench-${newId().slice(-12)}`;
  const seriesId = await createSeries(db, actor, {
    slug,
    title,
    description: '',
    guidingQuestions: [],
    languages: ['en'],
    timeZone: 'UTC',
    registrationMode: 'series',
    retentionDays: 365,
    status: 'draft',
  });
  return { srv, config, db, actor, email, password, seriesId, slug, dataDir };
}

/** `benchWorkbench` with N distinct responses in its workbench. */
export async function benchSeries(n: number, name: string) {
  const w = await benchWorkbench(name);
  const { db, seriesId } = w;
  await ensureState(db, seriesId);

  // N distinct responses, generated (not resampled), spread over sessions, career stages and dates.
  const units = distinctUnits(n, 2022);
  const sourceId = newId();
  await db
    .insertInto('wb_source')
    .values({
      id: sourceId,
      series_id: seriesId,
      kind: 'csv',
      name: 'generated distinct responses',
      metadata: '{}',
      created_at: new Date().toISOString(),
    })
    .execute();
  const t0 = performance.now();
  const items = units.map((u, i) => ({
    series_id: seriesId,
    source_id: sourceId,
    external_id: `b${i}`,
    text: u.text,
    region: u.region,
    session: `${u.region} ${u.day}`,
    prompt_kind: u.kind,
    language: u.language,
    career_stage: u.careerStage,
    speaker: null,
    submitted_at: u.submittedAt,
    groups: '{}',
  }));
  await db.transaction().execute((trx) => insertItems(trx, items));
  const insertMs = performance.now() - t0;
  return { ...w, items, insertMs };
}
