import type { Kysely } from 'kysely';
import type { Database } from '../db/index.ts';
import { utcToZonedLocal } from '../lib/time.ts';
import { accountWithoutLogin, type Actor } from '../modules/accounts/index.ts';
import {
  createOrganisation,
  createPerson,
  createPresentation,
  createSeries,
  createSession,
  findSeries,
} from '../modules/series/index.ts';
import { demoExtensions } from './extensions.ts';
import {
  FOUNDING,
  FOUNDING_SESSIONS,
  ORGANISATIONS,
  PEOPLE,
  UPCOMING,
  UPCOMING_SESSIONS,
  type DemoSession,
} from './content.ts';

export const DEMO_COORDINATOR_EMAIL = 'coordinator@demo.colloquy.invalid';

export interface DemoIds {
  foundingSeriesId: string;
  upcomingSeriesId: string;
  coordinatorId: string;
  foundingSessionIds: Record<string, string>;
  upcomingSessionIds: Record<string, string>;
}

async function demoActor(db: Kysely<Database>): Promise<Actor> {
  // No password: this account owns the demo but cannot log in.
  const acc = await accountWithoutLogin(db, DEMO_COORDINATOR_EMAIL, 'Demo coordinator');
  return {
    accountId: acc.id,
    email: acc.email,
    name: acc.name,
    isAdmin: true,
    grants: [],
    sessionId: '',
    csrfToken: '',
    language: null,
  };
}

const addMinutes = (local: string, tz: string, minutes: number) => {
  const start = new Date(`${local}:00Z`).getTime();
  return new Date(start + minutes * 60000).toISOString().slice(0, 16);
};

/** True when the demo series are already there. */
export async function hasDemo(db: Kysely<Database>): Promise<boolean> {
  return !!(await findSeries(db, FOUNDING.slug));
}

/** Seeds the two demo series (the founding one of 2022 and an upcoming one) in one transaction. */
export async function seedDemo(db: Kysely<Database>, now = new Date()): Promise<DemoIds | null> {
  if (await hasDemo(db)) return null;
  return db.transaction().execute(async (trx) => {
    const actor = await demoActor(trx);
    const foundingSeriesId = await createSeries(trx, actor, {
      slug: FOUNDING.slug,
      title: FOUNDING.title,
      description: FOUNDING.description,
      guidingQuestions: FOUNDING.guidingQuestions,
      languages: FOUNDING.languages,
      timeZone: FOUNDING.timeZone,
      registrationMode: 'session',
      retentionDays: 730,
      status: 'published',
    });
    const orgIds: Record<string, string> = {};
    for (const o of ORGANISATIONS)
      orgIds[o.key] = await createOrganisation(trx, actor, foundingSeriesId, {
        name: o.name,
        country: o.country,
        website: null,
      });
    const personIds: Record<string, string> = {};
    for (const p of PEOPLE)
      personIds[p.key] = await createPerson(trx, actor, foundingSeriesId, {
        name: p.name,
        email: null,
        affiliation: p.affiliation,
        organisationId: orgIds[p.org],
        bio: p.bio,
      });
    const foundingSessionIds: Record<string, string> = {};
    for (const s of FOUNDING_SESSIONS)
      foundingSessionIds[s.region] = await addSession(trx, actor, foundingSeriesId, s, orgIds, personIds);

    const upcomingSeriesId = await createSeries(trx, actor, {
      slug: UPCOMING.slug,
      title: UPCOMING.title,
      description: UPCOMING.description,
      guidingQuestions: UPCOMING.guidingQuestions,
      languages: UPCOMING.languages,
      timeZone: UPCOMING.timeZone,
      registrationMode: 'choose',
      retentionDays: 365,
      status: 'published',
    });
    const upcomingSessionIds: Record<string, string> = {};
    for (const [region, days, hour, tz, title, language] of UPCOMING_SESSIONS) {
      const day = utcToZonedLocal(new Date(now.getTime() + days * 86400_000), tz).slice(0, 10);
      const start = `${day}T${String(hour).padStart(2, '0')}:00`;
      upcomingSessionIds[region] = await createSession(trx, actor, upcomingSeriesId, {
        regionKey: region,
        title,
        description: 'An interactive regional conversation: answer from your phone in your own language.',
        startsAt: start,
        endsAt: addMinutes(start, tz, 90),
        timeZone: tz,
        language,
        videoUrl: 'https://video.example.org/colloquy-demo',
        capacity: 300,
      });
    }
    const ids: DemoIds = {
      foundingSeriesId,
      upcomingSeriesId,
      coordinatorId: actor.accountId,
      foundingSessionIds,
      upcomingSessionIds,
    };
    for (const ext of demoExtensions) await ext(trx, ids);
    return ids;
  });
}

async function addSession(
  trx: Parameters<typeof createSession>[0],
  actor: Actor,
  seriesId: string,
  s: DemoSession,
  orgIds: Record<string, string>,
  personIds: Record<string, string>,
) {
  const id = await createSession(trx, actor, seriesId, {
    regionKey: s.region,
    title: s.title,
    description: s.description,
    startsAt: s.start,
    endsAt: addMinutes(s.start, s.timeZone, s.minutes),
    timeZone: s.timeZone,
    language: s.language,
    videoUrl: 'https://video.example.org/leaders-2022',
    capacity: 500,
  });
  for (const p of s.presentations) {
    await createPresentation(trx, actor, id, {
      title: p.title,
      abstract: p.abstract,
      slidesUrl: null,
      organisationId: orgIds[p.organisation],
      presenterIds: p.people.map((k) => personIds[k]),
    });
  }
  return id;
}
