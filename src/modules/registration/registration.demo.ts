import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { DemoIds } from '../../demo/index.ts';
import { newId } from '../../lib/ids.ts';
import * as repo from './registration.repository.ts';
import './registration.tables.ts';

const PEOPLE: [string, string, string, string][] = [
  ['Aiko Tanaka', 'JP', 'new', 'asia_oceania'],
  ['Ravi Menon', 'IN', 'senior', 'asia_oceania'],
  ['Claire Dubois', 'FR', 'mid', 'europe'],
  ['Jonas Weber', 'DE', 'new', 'europe'],
  ['Lucía Paredes', 'PE', 'new', 'latin_america_caribbean'],
  ['João Silva', 'BR', 'senior', 'latin_america_caribbean'],
  ['Layla Haddad', 'LB', 'mid', 'middle_east_north_africa'],
  ['Omar Benali', 'MA', 'new', 'middle_east_north_africa'],
  ['Emily Clark', 'US', 'senior', 'north_america'],
  ['Amara Okafor', 'NG', 'new', 'sub_saharan_africa'],
  ['Wanjiru Kamau', 'KE', 'mid', 'sub_saharan_africa'],
];

/** Demo: default questions for both series, and registrations (some attended) in the founding one. */
export async function registrationDemo(db: Kysely<Database>, ids: DemoIds): Promise<void> {
  await repo.questionsOf(db, ids.foundingSeriesId);
  await repo.questionsOf(db, ids.upcomingSeriesId);
  const now = new Date().toISOString();
  for (const [i, [name, country, stage, region]] of PEOPLE.entries()) {
    const sessionId = ids.foundingSessionIds[region];
    if (!sessionId) continue;
    await db
      .insertInto('registration')
      .values({
        id: newId(),
        series_id: ids.foundingSeriesId,
        session_id: sessionId,
        name,
        email: `attendee${i + 1}@demo.colloquy.invalid`,
        country,
        affiliation: '',
        answers: JSON.stringify({ career_stage: stage }),
        language: 'en',
        time_zone: 'UTC',
        status: i % 3 === 2 ? 'confirmed' : 'attended',
        waitlisted_at: null,
        manage_token_hash: repo.hashToken(newId()),
        manage_token_expires_at: now,
        consent_at: now,
        news_opt_in: 0,
        attended_minutes: i % 3 === 2 ? null : 60 + i,
        reminders_off: 0,
        messages_off: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}
