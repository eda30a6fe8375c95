import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/index.ts';
import { newToken } from '../../lib/ids.ts';

/** The cookie of a reader who signed in with OpenID Connect to comment (not a Colloquy account). */
export const READER_COOKIE = 'colloquy_reader';
const READER_DAYS = 30;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface Reader {
  identity: string;
  name: string;
  email: string | null;
}

/** Starts a reader session; returns the cookie value (only its hash is stored). */
export async function createReaderSession(db: Db, r: Reader): Promise<string> {
  const token = newToken(32);
  const now = new Date();
  await db
    .insertInto('reader_session')
    .values({ id: sha256(token), identity: r.identity, name: r.name, email: r.email, created_at: now.toISOString(), expires_at: new Date(now.getTime() + READER_DAYS * 86400_000).toISOString() })
    .execute();
  return token;
}

/** The reader behind the request's cookie, if any and not expired. */
export async function readerOf(db: Db, req: FastifyRequest): Promise<Reader | null> {
  const token = req.cookies[READER_COOKIE];
  if (!token) return null;
  const row = await db.selectFrom('reader_session').selectAll().where('id', '=', sha256(token)).where('expires_at', '>', new Date().toISOString()).executeTakeFirst();
  return row ? { identity: row.identity, name: row.name, email: row.email } : null;
}

/** Ends the reader session of the request. */
export async function endReaderSession(db: Db, req: FastifyRequest): Promise<void> {
  const token = req.cookies[READER_COOKIE];
  if (token) await db.deleteFrom('reader_session').where('id', '=', sha256(token)).execute();
}
