import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../lib/errors.ts';
import { newId, newToken } from '../../lib/ids.ts';

export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

/** The image type from the file's first bytes; the client's claimed type is never trusted. */
export function sniffImage(b: Buffer): { type: string; ext: string } | null {
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return { type: 'image/png', ext: 'png' };
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff)
    return { type: 'image/jpeg', ext: 'jpg' };
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP')
    return { type: 'image/webp', ext: 'webp' };
  return null;
}

/** Checks and stores an image under a server-made name in <dataDir>/uploads (outside the web root). */
export async function storeImage(
  db: Db,
  dataDir: string,
  seriesId: string,
  accountId: string | null,
  data: Buffer,
): Promise<string> {
  if (!data.length) throw new AppError(422, 'empty_file', 'Choose an image file to upload.', 'image');
  if (data.length > MAX_UPLOAD_BYTES)
    throw new AppError(413, 'file_too_large', 'An image may be at most 2 MB.', 'image');
  const kind = sniffImage(data);
  if (!kind) throw new AppError(415, 'unsupported_image', 'Upload a PNG, JPEG or WebP image.', 'image');
  const dir = join(dataDir, 'uploads');
  mkdirSync(dir, { recursive: true });
  const fileName = `${newToken(18)}.${kind.ext}`;
  writeFileSync(join(dir, fileName), data, { flag: 'wx' });
  const id = newId();
  await db
    .insertInto('upload')
    .values({
      id,
      series_id: seriesId,
      file_name: fileName,
      content_type: kind.type,
      size: data.length,
      created_by: accountId,
      created_at: new Date().toISOString(),
    })
    .execute();
  return id;
}

/** A stored image's record, by id; undefined when there is none. */
export async function findUpload(db: Db, id: string) {
  return db.selectFrom('upload').selectAll().where('id', '=', id).executeTakeFirst();
}
