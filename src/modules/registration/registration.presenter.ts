import type { Db } from '../../db/index.ts';
import type { SessionTable } from '../../db/schema.ts';
import { sessionsByIds } from '../series/index.ts';
import * as repo from './registration.repository.ts';
import type { RegistrationTable } from './registration.tables.ts';

/** A registration as the API shows it to its owner. */
export async function presentRegistrations(db: Db, rows: RegistrationTable[]) {
  const sessions = await sessionsByIds(
    db,
    rows.map((r) => r.session_id),
  );
  const byId = new Map<string, SessionTable>(sessions.map((s) => [s.id, s]));
  const out = [];
  for (const r of rows) {
    const s = byId.get(r.session_id)!;
    out.push({
      id: r.id,
      sessionId: r.session_id,
      sessionTitle: s.title,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      status: r.status,
      waitlistPosition: r.status === 'waitlisted' ? await repo.waitlistPosition(db, r) : null,
    });
  }
  return out.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/** A registrant as coordinators see it: camelCase, without the manage token. */
export function registrantOut(r: RegistrationTable) {
  return {
    id: r.id,
    seriesId: r.series_id,
    sessionId: r.session_id,
    name: r.name,
    email: r.email,
    country: r.country,
    affiliation: r.affiliation,
    answers: JSON.parse(r.answers) as Record<string, string | boolean>,
    language: r.language,
    timeZone: r.time_zone,
    status: r.status,
    waitlistedAt: r.waitlisted_at,
    consentAt: r.consent_at,
    newsOptIn: Number(r.news_opt_in) === 1,
    remindersOff: Number(r.reminders_off) === 1,
    attendedMinutes: r.attended_minutes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
