import type { Db } from '../../db/index.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import type { Mailer } from '../notify/index.ts';
import type { InviteInput } from './accounts.schema.ts';
import { invite } from './accounts.service.ts';
import { authorize, canManageSeries, type Actor } from './authz.ts';
import { seriesDirectory } from './directory.ts';
import { inTransaction } from '../../server/tx.ts';

/**
 * Invites a person into a role of a series (by id or short name): the one path that the JSON API
 * and the console form both take, so both check the same rights and send the same mail.
 */
export async function inviteIntoSeries(
  db: Db,
  mailer: Mailer,
  publicUrl: string,
  actor: Actor | null,
  seriesIdOrSlug: string,
  body: InviteInput,
) {
  const { findSeries, regionsOf } = seriesDirectory();
  const s = await findSeries(db, seriesIdOrSlug);
  if (!s) throw new AppError(404, 'not_found', 'This series was not found.', 'id');
  const a = authorize(actor, canManageSeries(actor, s.id), 'Only coordinators can invite people.');
  let regionId: string | null = null;
  let regionName: string | null = null;
  if (body.regionKey) {
    const region = (await regionsOf(db, s.id)).find((x) => x.key === body.regionKey);
    if (!region)
      throw invalid('unknown_region', `This series has no region "${body.regionKey}".`, 'regionKey');
    regionId = region.id;
    regionName = region.name;
  }
  return inTransaction(db, (trx) =>
    invite(trx, mailer, publicUrl, a, {
      seriesId: s.id,
      seriesTitle: s.title,
      email: body.email,
      role: body.role,
      regionId,
      regionName,
    }),
  );
}
