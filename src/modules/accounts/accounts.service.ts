import { createHash } from 'node:crypto';
import argon2 from 'argon2';
import type { Db } from '../../db/index.ts';
import { AppError, conflict, invalid, notFound } from '../../lib/errors.ts';
import { isLang } from '../../lib/i18n.ts';
import { newId, newToken } from '../../lib/ids.ts';
import type { Mailer } from '../notify/index.ts';
import { seriesDirectory } from './directory.ts';
import * as repo from './accounts.repository.ts';
import { messages as m } from './messages/index.ts';
import type { Actor, Role } from './authz.ts';

const SESSION_DAYS = 14;
const INVITE_DAYS = 14;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** argon2id with the library's defaults (64 MiB, t=3): slow for attackers, ~50 ms for us. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

// Verifying against a real hash for unknown e-mails keeps the timing of both answers alike.
let dummyHash: Promise<string> | null = null;

/** Checks e-mail and password; returns the account or throws one message for every failure. */
export async function verifyLogin(db: Db, email: string, password: string) {
  const account = await repo.findAccountByEmail(db, email);
  if (!account?.password_hash) {
    dummyHash ??= hashPassword('not-a-real-password');
    await argon2.verify(await dummyHash, password).catch(() => false);
    throw new AppError(
      401,
      'invalid_credentials',
      'The e-mail address or the password is not right.',
      'password',
    );
  }
  const ok = await argon2.verify(account.password_hash, password).catch(() => false);
  if (!ok)
    throw new AppError(
      401,
      'invalid_credentials',
      'The e-mail address or the password is not right.',
      'password',
    );
  return account;
}

/** Starts a new session (the caller deletes any previous one, so the id rotates at login). */
export async function startSession(
  db: Db,
  accountId: string,
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = newToken();
  const csrfToken = newToken(24);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86400_000);
  await db
    .insertInto('auth_session')
    .values({
      id: sha256(token),
      account_id: accountId,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    })
    .execute();
  await db
    .updateTable('account')
    .set({ last_login_at: now.toISOString() })
    .where('id', '=', accountId)
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('auth_session').where('id', '=', sha256(token)).execute();
}

/** The actor behind a session cookie, or null when it is unknown or expired. */
export async function actorFromToken(db: Db, token: string): Promise<Actor | null> {
  const hash = sha256(token);
  const row = await repo.findSessionWithAccount(db, hash);
  if (!row) return null;
  if (new Date(row.expires_at).getTime() < Date.now()) {
    await db.deleteFrom('auth_session').where('id', '=', hash).execute();
    return null;
  }
  return {
    accountId: row.accountId,
    email: row.email,
    name: row.name,
    isAdmin: row.is_admin === 1,
    grants: await repo.grantsFor(db, row.accountId),
    sessionId: row.sessionId,
    csrfToken: row.csrf_token,
    language: row.language ?? null,
  };
}

/** Creates an admin account; without a password, generates a one-time one and returns it. */
export async function createAdmin(db: Db, input: { email: string; name?: string; password?: string }) {
  const email = input.email.toLowerCase();
  if (await repo.findAccountByEmail(db, email))
    throw conflict('email_taken', 'An account with this e-mail address already exists.', 'email');
  const password = input.password ?? newToken(12);
  const id = newId();
  await repo.insertAccount(db, {
    id,
    email,
    name: input.name ?? email.split('@')[0],
    password_hash: await hashPassword(password),
    is_admin: 1,
    created_at: new Date().toISOString(),
  });
  return { id, email, password: input.password ? undefined : password };
}

/** The account with this e-mail, made without a password (so it cannot log in) when there is none. */
export async function accountWithoutLogin(db: Db, email: string, name: string) {
  const found = await repo.findAccountByEmail(db, email);
  if (found) return { id: found.id, email: found.email, name: found.name };
  const acc = { id: newId(), email: email.toLowerCase(), name };
  await repo.insertAccount(db, {
    ...acc,
    password_hash: null,
    is_admin: 0,
    created_at: new Date().toISOString(),
  });
  return acc;
}

export async function hasAdmin(db: Db): Promise<boolean> {
  return (await repo.countAdmins(db)) > 0;
}

/** Grants a role in a series (idempotent: an existing equal grant is returned); the id of the grant. */
export async function addGrant(
  db: Db,
  accountId: string,
  seriesId: string,
  role: Role,
  regionId: string | null,
) {
  const existing = await db
    .selectFrom('role_grant')
    .select('id')
    .where('account_id', '=', accountId)
    .where('series_id', '=', seriesId)
    .where('role', '=', role)
    .where((eb) => (regionId ? eb('region_id', '=', regionId) : eb('region_id', 'is', null)))
    .executeTakeFirst();
  if (existing) return existing.id;
  const id = newId();
  await db
    .insertInto('role_grant')
    .values({
      id,
      account_id: accountId,
      series_id: seriesId,
      role,
      region_id: regionId,
      created_at: new Date().toISOString(),
    })
    .execute();
  return id;
}

export interface InviteRequest {
  seriesId: string;
  seriesTitle: string;
  email: string;
  role: Role;
  regionId: string | null;
  regionName: string | null;
}

/**
 * Puts a person into a role: an existing account gets the role at once (and a note by mail);
 * anyone else gets an invitation link to set their name and password.
 */
export async function invite(db: Db, mailer: Mailer, publicUrl: string, by: Actor, req: InviteRequest) {
  if (req.role === 'co_organiser' && !req.regionId) {
    throw invalid('region_required', 'A regional co-organiser needs a region.', 'regionKey');
  }
  const account = await repo.findAccountByEmail(db, req.email);
  // The mail speaks the invitee's own language when they have an account, else the inviter's.
  const t = m.t(account?.language ?? by.language ?? 'en');
  const role = m.lookup(t.lang, `role.${req.role}`) ?? req.role;
  const roleText = req.regionName ? t('mail.role.for_region', { role, region: req.regionName }) : role;
  const vars = { role: roleText, series: req.seriesTitle, by: by.name };
  if (account) {
    await addGrant(db, account.id, req.seriesId, req.role, req.regionId);
    await mailer.send(db, {
      kind: 'role_granted',
      to: account.email,
      subject: t('mail.granted.subject', vars),
      text: `${t('mail.granted.body', vars)}\n\n${t('mail.login', { url: `${publicUrl}/login` })}\n`,
    });
    return { status: 'granted' as const, email: account.email, role: req.role };
  }
  const token = newToken();
  const now = new Date();
  await db
    .insertInto('invitation')
    .values({
      id: newId(),
      token_hash: sha256(token),
      email: req.email,
      series_id: req.seriesId,
      role: req.role,
      region_id: req.regionId,
      invited_by: by.accountId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + INVITE_DAYS * 86400_000).toISOString(),
      accepted_at: null,
    })
    .execute();
  await mailer.send(db, {
    kind: 'invitation',
    to: req.email,
    subject: t('mail.invite.subject', vars),
    text: `${t('mail.invite.body', vars)}\n\n${t('mail.invite.accept', { days: INVITE_DAYS })}\n${publicUrl}/invite/${token}\n`,
  });
  return { status: 'invited' as const, email: req.email, role: req.role };
}

/** A pending invitation by its token, or a clear error when it is wrong, used or expired. */
export async function findInvitation(db: Db, token: string) {
  const row = await db
    .selectFrom('invitation as i')
    .select(['i.id', 'i.email', 'i.role', 'i.region_id', 'i.series_id', 'i.expires_at', 'i.accepted_at'])
    .where('i.token_hash', '=', sha256(token))
    .executeTakeFirst();
  const series = row ? await seriesDirectory().findSeries(db, row.series_id) : undefined;
  if (!row || !series) throw notFound('This invitation link', 'token');
  const inv = { ...row, series_title: series.title };
  if (inv.accepted_at)
    throw new AppError(410, 'invitation_used', 'This invitation has already been accepted. Please log in.');
  if (new Date(inv.expires_at).getTime() < Date.now()) {
    throw new AppError(
      410,
      'invitation_expired',
      'This invitation has expired. Ask the coordinator to invite you again.',
    );
  }
  return inv;
}

/** Creates the account of an invited person (or reuses theirs) and grants the role; one transaction. */
export async function acceptInvitation(db: Db, token: string, input: { name: string; password: string }) {
  const inv = await findInvitation(db, token);
  let account = await repo.findAccountByEmail(db, inv.email);
  if (!account) {
    const id = newId();
    await repo.insertAccount(db, {
      id,
      email: inv.email,
      name: input.name,
      password_hash: await hashPassword(input.password),
      is_admin: 0,
      created_at: new Date().toISOString(),
    });
    account = await repo.findAccount(db, id);
  }
  await addGrant(db, account!.id, inv.series_id, inv.role as Role, inv.region_id);
  await db
    .updateTable('invitation')
    .set({ accepted_at: new Date().toISOString() })
    .where('id', '=', inv.id)
    .execute();
  return account!;
}

export async function revokeGrant(db: Db, seriesId: string, grantId: string): Promise<void> {
  const r = await db
    .deleteFrom('role_grant')
    .where('id', '=', grantId)
    .where('series_id', '=', seriesId)
    .executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw notFound('This role', 'grantId');
}

export { grantsInSeries } from './accounts.repository.ts';

/** Sets the language an account reads pages and e-mails in (null: as the browser asks). */
export async function setLanguage(db: Db, accountId: string, language: string | null): Promise<void> {
  if (language !== null && !isLang(language))
    throw invalid('invalid_choice', 'Choose one of the offered languages.', 'language');
  await repo.setAccountLanguage(db, accountId, language);
}
