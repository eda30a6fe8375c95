import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECT } from '../../../test/support/db.ts';
import { makeSeries, makeSession, unique } from '../../../test/support/factories.ts';
import { startSmtp } from '../../../test/support/smtp.ts';
import { loadConfig } from '../../server/config.ts';
import { createServer, type Running } from '../../server/index.ts';
import { erasureHooks } from './privacy.ts';

let srv: Running;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const logs: string[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  const config = loadConfig(
    { port: 0, dataDir: mkdtempSync(join(tmpdir(), 'colloquy-privacy-')), demo: false, host: '127.0.0.1' },
    { ...process.env, SMTP_URL: smtp.url, LOG_REQUESTS: '1', COLLOQUY_JOBS: '0' },
  );
  // Capture everything the app logs, at the most verbose level, to search it afterwards.
  srv = await createServer(config, {
    logger: { level: 'trace', stream: { write: (line: string) => void logs.push(line) } },
  });
});
afterAll(async () => {
  await srv?.close();
  await smtp?.close();
});

const register = (seriesId: string, sessionIds: string[], email: string, name = 'Zephyrine Quaglia') =>
  srv.app.inject({
    method: 'POST',
    url: `/api/series/${seriesId}/registrations`,
    payload: {
      name,
      email,
      country: 'IT',
      affiliation: 'Biblioteca Quaglia',
      answers: { career_stage: 'mid', comments: 'I am Zephyrine' },
      language: 'en',
      sessionIds,
      consent: true,
    },
  });

async function chooseSeries() {
  const s = await makeSeries(srv.ctx.db);
  await srv.ctx.db
    .updateTable('series')
    .set({ registration_mode: 'choose' })
    .where('id', '=', s.id)
    .execute();
  return s;
}

/** Every place the database could keep a value, as one list of strings. */
async function databaseContains(needle: string): Promise<boolean> {
  if (DIALECT === 'sqlite') {
    srv.ctx.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
    const file = srv.ctx.sqlite!.name;
    const bytes = Buffer.concat([
      readFileSync(file),
      existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0),
    ]);
    return bytes.includes(Buffer.from(needle, 'utf8'));
  }
  const cols = await sql<{
    table_name: string;
    column_name: string;
  }>`select table_name, column_name from information_schema.columns where table_schema = 'public' and data_type in ('text', 'character varying', 'json', 'jsonb')`.execute(
    srv.ctx.db,
  );
  for (const c of cols.rows) {
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.table(c.table_name)} where ${sql.ref(c.column_name)}::text ilike ${`%${needle}%`}`.execute(
      srv.ctx.db,
    );
    if (r.rows[0].n > 0) return true;
  }
  return false;
}

describe('privacy', () => {
  it('exports everything held about a person, then erases it from the database, the exports and the logs', async () => {
    const email = `${unique('zephyrine')}@example.org`;
    const s = await chooseSeries();
    const a = await makeSession(srv.ctx.db, s);
    const b = await makeSession(srv.ctx.db, s, { daysAhead: 9 });
    expect((await register(s.id, [a, b], email)).statusCode).toBe(201);
    // A second series and a mistyped attempt leave traces too.
    const other = await chooseSeries();
    const c = await makeSession(srv.ctx.db, other);
    await register(other.id, [c], email);
    expect(
      (
        await srv.app.inject({
          method: 'POST',
          url: `/api/series/${s.id}/registrations`,
          payload: { name: 'Z', email, country: 'ZZ', answers: {}, sessionIds: [a], consent: true },
        })
      ).statusCode,
    ).toBe(422);
    // Attendance from a (past) session's report names the address as well.
    await srv.ctx.db
      .insertInto('attendance')
      .values({
        id: unique('att'),
        session_id: a,
        email,
        name: 'Zephyrine Quaglia',
        minutes: 10,
        joins: 1,
        first_join_at: null,
        registration_id: null,
        imported_at: new Date().toISOString(),
      })
      .execute();
    const hooked: string[] = [];
    erasureHooks.push(async (_db, e) => void hooked.push(e.email));

    await smtp.waitFor(3);
    const mail = smtp.mails.filter((m) => m.to.includes(email)).at(-1)!;
    const token = /\/registrations\/([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    const exp = await srv.app.inject({ method: 'GET', url: `/api/registrations/${token}/export` });
    expect(exp.statusCode).toBe(200);
    const data = exp.json<{
      email: string;
      registrations: unknown[];
      attendance: unknown[];
      mails: unknown[];
    }>();
    expect(data.email).toBe(email);
    expect(data.registrations).toHaveLength(3);
    expect(data.attendance).toHaveLength(1);
    expect(data.mails.length).toBeGreaterThanOrEqual(3);
    expect(exp.body).not.toContain('manage_token_hash');
    expect(await databaseContains(email)).toBe(true);

    const erase = await srv.app.inject({
      method: 'POST',
      url: `/api/registrations/${token}/erase`,
      payload: { mode: 'delete' },
    });
    expect(erase.json()).toEqual({ erased: true });
    expect(hooked).toEqual([email]);
    expect(await databaseContains(email)).toBe(false);
    expect(await databaseContains('Zephyrine')).toBe(false);
    const after = await srv.app.inject({ method: 'GET', url: `/api/registrations/${token}/export` });
    expect(after.statusCode).toBe(404);
    expect(after.body).not.toContain(email);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(email);
  });

  it('anonymises on request: statistics keep career stage and country, not the person', async () => {
    const email = `${unique('anon')}@example.org`;
    const s = await chooseSeries();
    const a = await makeSession(srv.ctx.db, s);
    await register(s.id, [a], email, 'Anonymous Tobe');
    const token = /\/registrations\/([A-Za-z0-9_-]+)/.exec(
      (await smtp.waitFor(smtp.mails.length)).filter((m) => m.to.includes(email)).at(-1)!.text,
    )![1];
    await srv.app.inject({
      method: 'POST',
      url: `/api/registrations/${token}/erase`,
      payload: { mode: 'anonymise' },
    });
    const rows = await srv.ctx.db
      .selectFrom('registration')
      .selectAll()
      .where('session_id', '=', a)
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: '', country: 'IT', status: 'cancelled' });
    expect(rows[0].email).not.toContain('anon');
    expect(JSON.parse(rows[0].answers)).toEqual({ career_stage: 'mid' });
    expect(await databaseContains(email)).toBe(false);
  });

  it('refuses a wrong manage link with a clear message on the page', async () => {
    const res = await srv.app.inject({
      method: 'GET',
      url: '/registrations/this-is-not-a-valid-token',
      headers: { accept: 'text/html' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('This link is not valid');
  });
});
