// Files between an import's preview and its commit. The preview page posts back only the id, so a
// file never travels back to the browser; it is deleted by the import, when it expires, or with its
// account or series, and erasing a person deletes every waiting file that names their address.
import type { Db } from '../../db/index.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { ImportKind } from './sources.parse.ts';

/** How long a previewed file waits for its import. */
export const UPLOAD_TTL_MS = 60 * 60 * 1000;

const expiry = () => new Date(Date.now() - UPLOAD_TTL_MS).toISOString();

/** Keeps a file for the preview → import round trip; expired files are deleted on the way. */
export async function keepUpload(
  db: Db,
  u: { seriesId: string; accountId: string; kind: ImportKind; name: string; data: Buffer },
): Promise<string> {
  await db.deleteFrom('wb_upload').where('created_at', '<', expiry()).execute();
  const id = newId();
  await db
    .insertInto('wb_upload')
    .values({
      id,
      series_id: u.seriesId,
      account_id: u.accountId,
      kind: u.kind,
      name: u.name,
      data: u.data,
      created_at: new Date().toISOString(),
    })
    .execute();
  return id;
}

/** The file this person kept for this series, or a 422 when it expired (or is someone else's). */
export async function findUpload(db: Db, id: string, seriesId: string, accountId: string): Promise<Buffer> {
  const row = await db
    .selectFrom('wb_upload')
    .select('data')
    .where('id', '=', id)
    .where('series_id', '=', seriesId)
    .where('account_id', '=', accountId)
    .where('created_at', '>=', expiry())
    .executeTakeFirst();
  if (!row)
    throw new AppError(422, 'upload_expired', 'This file is no longer here; choose it again.', 'file');
  return Buffer.from(row.data);
}

/** Deletes a kept file (after its import). */
export async function dropUpload(db: Db, id: string): Promise<void> {
  await db.deleteFrom('wb_upload').where('id', '=', id).execute();
}

/**
 * Erasure: deletes the waiting files that may hold this person: text that contains the address (as
 * UTF-8, Latin-1 or UTF-16), and every workbook (compressed, so it cannot be searched cheaply).
 */
export async function eraseUploadsNaming(db: Db, email: string): Promise<number> {
  const needle = email.trim().toLowerCase();
  if (!needle) return 0;
  const rows = await db.selectFrom('wb_upload').select(['id', 'kind', 'data']).execute();
  const names = (data: Buffer) =>
    data.toString('latin1').toLowerCase().includes(needle) ||
    data.toString('utf16le').toLowerCase().includes(needle);
  const hits = rows.filter((r) => r.kind === 'xlsx' || names(Buffer.from(r.data))).map((r) => r.id);
  if (hits.length) await db.deleteFrom('wb_upload').where('id', 'in', hits).execute();
  return hits.length;
}
