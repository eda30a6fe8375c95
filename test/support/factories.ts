import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/index.ts';
import { newId } from '../../src/lib/ids.ts';
import { hashPassword, type Actor, type Role } from '../../src/modules/accounts/index.ts';
import { createSeries, createSession } from '../../src/modules/series/index.ts';
import * as live from '../../src/modules/live/live.service.ts';
import type { PromptInput } from '../../src/modules/live/live.schema.ts';
import { wireModules } from '../../src/server/wiring.ts';

// Tests that build data without a server join the modules as the server does (a session's live room
// comes with it through the wiring).
wireModules();

let n = 0;
/** A name no other test uses, so tests on a shared PostgreSQL database never collide. */
export const unique = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${(n++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

export const PASSWORD = 'correct horse battery';
let cachedHash: Promise<string> | null = null;

/** An account (with password PASSWORD) and the Actor that represents it. */
export async function makeAccount(
  db: Kysely<Database>,
  opts: { admin?: boolean; name?: string } = {},
): Promise<Actor> {
  cachedHash ??= hashPassword(PASSWORD);
  const id = newId();
  const email = `${unique('user')}@example.org`;
  await db
    .insertInto('account')
    .values({
      id,
      email,
      name: opts.name ?? 'Test User',
      password_hash: await cachedHash,
      is_admin: opts.admin ? 1 : 0,
      created_at: new Date().toISOString(),
      last_login_at: null,
    })
    .execute();
  return {
    accountId: id,
    email,
    name: opts.name ?? 'Test User',
    isAdmin: !!opts.admin,
    grants: [],
    sessionId: '',
    csrfToken: '',
    language: null,
  };
}

/** Gives an account a role (and reflects it in the Actor object). */
export async function grant(
  db: Kysely<Database>,
  actor: Actor,
  seriesId: string,
  role: Role,
  regionId: string | null = null,
): Promise<Actor> {
  const id = newId();
  await db
    .insertInto('role_grant')
    .values({
      id,
      account_id: actor.accountId,
      series_id: seriesId,
      role,
      region_id: regionId,
      created_at: new Date().toISOString(),
    })
    .execute();
  actor.grants.push({ id, seriesId, role, regionId });
  return actor;
}

/** A published series with the six default regions, created by a fresh admin. */
export async function makeSeries(
  db: Kysely<Database>,
  opts: { status?: 'draft' | 'published'; timeZone?: string; registrationMode?: 'series' | 'session' } = {},
) {
  const admin = await makeAccount(db, { admin: true });
  const slug = unique('series').toLowerCase();
  const id = await createSeries(db, admin, {
    slug,
    title: `Series ${slug}`,
    description: '',
    guidingQuestions: [],
    languages: ['en'],
    timeZone: opts.timeZone ?? 'UTC',
    registrationMode: opts.registrationMode ?? 'series',
    retentionDays: 365,
    status: opts.status ?? 'published',
  });
  const regions = await db
    .selectFrom('region')
    .selectAll()
    .where('series_id', '=', id)
    .orderBy('position')
    .execute();
  return { id, slug, admin, regions, region: (key: string) => regions.find((r) => r.key === key)! };
}

/** A session in a region of a series, starting `daysAhead` days from now. */
export async function makeSession(
  db: Kysely<Database>,
  series: Awaited<ReturnType<typeof makeSeries>>,
  opts: { regionKey?: string; daysAhead?: number; capacity?: number | null; timeZone?: string } = {},
) {
  const start = new Date(Date.now() + (opts.daysAhead ?? 7) * 86400_000);
  start.setUTCMinutes(0, 0, 0);
  const end = new Date(start.getTime() + 90 * 60000);
  return createSession(db, series.admin, series.id, {
    regionKey: opts.regionKey ?? 'europe',
    title: unique('Session'),
    description: '',
    startsAt: start.toISOString(),
    endsAt: end.toISOString(),
    timeZone: opts.timeZone ?? 'Europe/Paris',
    language: 'en',
    videoUrl: 'https://video.example.org/x',
    capacity: opts.capacity ?? null,
  });
}

/**
 * A live room with one open-text prompt already open, run by a facilitator of a new series: what the
 * live, crash, fault, several-process tests and the live benchmarks start from.
 */
export async function openPromptRoom(db: Kysely<Database>, kind: PromptInput['kind'], question: string) {
  const series = await makeSeries(db);
  const session = await makeSession(db, series);
  const host = await grant(db, await makeAccount(db), series.id, 'facilitator');
  const room = await live.roomOfSession(db, host, session);
  const promptId = await live.createPrompt(db, host, room, {
    type: 'open_text',
    kind,
    text: { en: question },
  });
  await live.promptAction(db, host, room, promptId, 'open');
  return { series, session, host, room, promptId };
}
