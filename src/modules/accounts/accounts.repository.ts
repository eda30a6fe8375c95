import type { Db } from '../../db/index.ts';
import type { Grant, Role } from './authz.ts';
import { seriesDirectory } from './directory.ts';

export async function findAccountByEmail(db: Db, email: string) {
  return db.selectFrom('account').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function findAccount(db: Db, id: string) {
  return db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countAdmins(db: Db): Promise<number> {
  const r = await db
    .selectFrom('account')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_admin', '=', 1)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function insertAccount(
  db: Db,
  row: {
    id: string;
    email: string;
    name: string;
    password_hash: string | null;
    is_admin: number;
    created_at: string;
  },
) {
  await db
    .insertInto('account')
    .values({ ...row, email: row.email.toLowerCase(), last_login_at: null })
    .execute();
}

export async function findSessionWithAccount(db: Db, sessionHash: string) {
  return db
    .selectFrom('auth_session as s')
    .innerJoin('account as a', 'a.id', 's.account_id')
    .select([
      's.id as sessionId',
      's.csrf_token',
      's.expires_at',
      'a.id as accountId',
      'a.email',
      'a.name',
      'a.is_admin',
      'a.language',
    ])
    .where('s.id', '=', sessionHash)
    .executeTakeFirst();
}

export async function grantsFor(db: Db, accountId: string): Promise<Grant[]> {
  const rows = await db.selectFrom('role_grant').selectAll().where('account_id', '=', accountId).execute();
  return rows.map((r) => ({ id: r.id, seriesId: r.series_id, role: r.role as Role, regionId: r.region_id }));
}

/** Who holds which role in a series, with the name of the region a role is limited to. */
export async function grantsInSeries(db: Db, seriesId: string) {
  const rows = await db
    .selectFrom('role_grant as g')
    .innerJoin('account as a', 'a.id', 'g.account_id')
    .select(['g.id', 'g.role', 'g.region_id', 'a.id as account_id', 'a.email', 'a.name'])
    .where('g.series_id', '=', seriesId)
    .orderBy('g.created_at')
    .execute();
  const regions = rows.some((r) => r.region_id) ? await seriesDirectory().regionsOf(db, seriesId) : [];
  const names = new Map(regions.map((r) => [r.id, r.name]));
  return rows.map((r) => ({ ...r, region_name: r.region_id ? (names.get(r.region_id) ?? null) : null }));
}

/** The display names of these accounts, by id (for exports that say who decided what). */
export async function accountNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('account')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Sets (or clears, with null) an account's own language. */
export async function setAccountLanguage(db: Db, accountId: string, language: string | null) {
  await db.updateTable('account').set({ language }).where('id', '=', accountId).execute();
}

/**
 * Everyone who may moderate a series (its coordinators and the administrators), as distinct e-mail
 * addresses: moderation mails go to all of them, so a held comment never waits on one person.
 */
/** The coordinators of a series and the administrators, each with their own language (null: not chosen). */
export async function seriesModerators(
  db: Db,
  seriesId: string,
): Promise<{ email: string; language: string | null }[]> {
  const coordinators = db
    .selectFrom('role_grant')
    .innerJoin('account', 'account.id', 'role_grant.account_id')
    .select(['account.email', 'account.language'])
    .where('role_grant.series_id', '=', seriesId)
    .where('role_grant.role', '=', 'coordinator');
  const rows = await db
    .selectFrom('account')
    .select(['email', 'language'])
    .where('is_admin', '=', 1)
    .union(coordinators)
    .execute();
  const byEmail = new Map(rows.map((r) => [r.email, r.language ?? null]));
  return [...byEmail.keys()].sort().map((email) => ({ email, language: byEmail.get(email) ?? null }));
}
