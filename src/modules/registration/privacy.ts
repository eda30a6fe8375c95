/** What an attendee can see and erase about themselves, and the retention purge. */
import type { Db } from '../../db/index.ts';
import { newToken } from '../../lib/ids.ts';
import { cancelJobs, eraseMailsAbout, eraseMailsTo, mailsTo } from '../notify/index.ts';
import * as repo from './registration.repository.ts';
import { byToken, cancelRegistrations, type PendingMail } from './registration.service.ts';

/** What an erasure hook is told: the address, the names registered with it, the registrations going away. */
export interface Erasure {
  email: string;
  names: string[];
  registrationIds: string[];
  mode: 'delete' | 'anonymise';
  /** Set by the retention purge of one series: only that series' copies go. */
  seriesId?: string;
}

/** Other modules (live answers, comments) push their own erasure here; called inside the transaction. */
export const erasureHooks: ((db: Db, erasure: Erasure) => Promise<void>)[] = [];
/** Other modules push what they hold about an address for the export. */
export const exportHooks: ((
  db: Db,
  email: string,
  registrationIds: string[],
  names: string[],
) => Promise<Record<string, unknown>>)[] = [];

const namesOf = (regs: { name: string }[]) => [...new Set(regs.map((r) => r.name).filter(Boolean))];

/** Everything held about the address behind a manage link: registrations, attendance, mails. */
export async function exportData(db: Db, token: string) {
  const rows = await byToken(db, token);
  const email = rows[0].email;
  const regs = await db
    .selectFrom('registration')
    .selectAll()
    .where('email', '=', email)
    .orderBy('created_at')
    .execute();
  const attendance = await db
    .selectFrom('attendance')
    .select(['session_id', 'email', 'name', 'minutes', 'joins', 'first_join_at', 'imported_at'])
    .where('email', '=', email)
    .execute();
  const mails = await mailsTo(db, email);
  // What coordinators wrote to the person ("write to registrants"): when, which subject.
  const messages = await db
    .selectFrom('registrant_mail')
    .select(['series_id', 'language', 'subject', 'status', 'created_at'])
    .where('email', '=', email)
    .orderBy('created_at')
    .execute();
  const extra: Record<string, unknown> = {};
  for (const hook of exportHooks)
    Object.assign(
      extra,
      await hook(
        db,
        email,
        regs.map((r) => r.id),
        namesOf(regs),
      ),
    );
  return {
    exportedAt: new Date().toISOString(),
    email,
    registrations: regs.map(({ manage_token_hash: _h, answers, ...r }) => ({
      ...r,
      answers: JSON.parse(answers) as unknown,
    })),
    attendance,
    mails,
    messages,
    ...extra,
  };
}

/**
 * Erases a person: active registrations are cancelled first (freeing seats for the waiting list),
 * then rows are deleted or anonymised, attendance and mail log rows deleted, and hooks called.
 */
export async function eraseEmail(
  db: Db,
  email: string,
  mode: 'delete' | 'anonymise',
  opts: { seriesId?: string } = {},
): Promise<PendingMail[]> {
  let q = db.selectFrom('registration').selectAll().where('email', '=', email);
  if (opts.seriesId) q = q.where('series_id', '=', opts.seriesId);
  const regs = await q.execute();
  const mails = await cancelRegistrations(
    db,
    regs.filter((r) => r.status === 'confirmed' || r.status === 'waitlisted'),
    { silent: true },
  );
  const ids = regs.map((r) => r.id);
  for (const id of ids) await cancelJobs(db, `reminder:${id}:`);
  if (ids.length) {
    if (mode === 'delete') {
      await db.deleteFrom('attendance').where('registration_id', 'in', ids).execute();
      await db.deleteFrom('registration').where('id', 'in', ids).execute();
    } else {
      for (const r of regs) {
        const questions = await repo.questionsOf(db, r.series_id);
        const kept = Object.fromEntries(
          Object.entries(JSON.parse(r.answers) as Record<string, unknown>).filter(
            ([k]) => questions.find((q) => q.key === k)?.type !== 'text',
          ),
        );
        await db
          .updateTable('registration')
          .set({
            name: '',
            email: `erased-${r.id}@erased.invalid`,
            affiliation: '',
            answers: JSON.stringify(kept),
            manage_token_hash: repo.hashToken(newToken()),
            news_opt_in: 0,
            status: r.status === 'attended' ? 'attended' : 'cancelled',
            updated_at: new Date().toISOString(),
          })
          .where('id', '=', r.id)
          .execute();
      }
      await db
        .updateTable('attendance')
        .set({ email: 'erased@erased.invalid', name: '' })
        .where('registration_id', 'in', ids)
        .execute();
    }
  }
  // The record of coordinators' messages names the address: it goes with the person.
  let sent = db.deleteFrom('registrant_mail').where('email', '=', email);
  if (opts.seriesId) sent = sent.where('series_id', '=', opts.seriesId);
  await sent.execute();
  // Attendance of another series, or not matched to a registration, still names the address.
  const otherSeries = opts.seriesId
    ? await db.selectFrom('registration').select('id').where('email', '=', email).executeTakeFirst()
    : undefined;
  if (!otherSeries) {
    await db.deleteFrom('attendance').where('email', '=', email).execute();
    await eraseMailsTo(db, email);
    // Mails to others that quoted the person (a held comment told to the coordinators).
    await eraseMailsAbout(db, email);
  }
  for (const hook of erasureHooks)
    await hook(db, {
      email,
      names: namesOf(regs),
      registrationIds: ids,
      mode,
      seriesId: opts.seriesId,
    });
  return mails;
}

/** Erasure through a manage link: everything held about that address, in every series. */
export async function eraseByToken(db: Db, token: string, mode: 'delete' | 'anonymise') {
  const rows = await byToken(db, token);
  return eraseEmail(db, rows[0].email, mode);
}

/** The retention purge of one series: deletes every registrant's personal data for it. */
export async function purgeSeries(db: Db, seriesId: string): Promise<number> {
  const emails = await db
    .selectFrom('registration')
    .select('email')
    .distinct()
    .where('series_id', '=', seriesId)
    .execute();
  for (const { email } of emails) await eraseEmail(db, email, 'delete', { seriesId });
  return emails.length;
}
