import type { Db } from '../../db/index.ts';
import { AppError, conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { zonedToUtc } from '../../lib/time.ts';
import { cleanTranslations, type Translations } from '../../lib/translations.ts';
import {
  addGrant,
  authorize,
  canCreateSeries,
  canEditDirectory,
  canEditSession,
  canManageSeries,
  canViewSeries,
  type Actor,
} from '../accounts/index.ts';
import { emitSessionCreated } from './series.events.ts';
import * as repo from './series.repository.ts';
import * as present from './series.presenter.ts';
import { regionTranslations } from './series.labels.ts';
import {
  DEFAULT_REGIONS,
  type OrganisationInput,
  type PersonInput,
  type PresentationInput,
  type RegionInput,
  type SeriesCreateInput,
  type SeriesUpdateInput,
  type SessionCreateInput,
  type SessionUpdateInput,
} from './series.schema.ts';

const now = () => new Date().toISOString();

/** A series the actor may see: published ones for everybody, drafts for the people in it. */
export async function visibleSeries(db: Db, actor: Actor | null, idOrSlug: string) {
  const s = await repo.findSeries(db, idOrSlug);
  if (!s || (s.status !== 'published' && !canViewSeries(actor, s.id))) throw notFound('This series', 'id');
  return s;
}

/** A series the actor holds some role in (404 when it does not exist, 401/403 otherwise). */
export async function seriesForRole(
  db: Db,
  actor: Actor | null,
  idOrSlug: string,
  check: (a: Actor | null, seriesId: string) => boolean,
) {
  const s = await repo.findSeries(db, idOrSlug);
  if (!s) throw notFound('This series', 'id');
  authorize(actor, check(actor, s.id));
  return s;
}

export async function listVisibleSeries(db: Db, actor: Actor | null) {
  const rows = await repo.listSeries(db, {
    publishedOrIds: actor?.isAdmin ? 'all' : [...new Set((actor?.grants ?? []).map((g) => g.seriesId))],
  });
  return rows.map(present.presentSeriesSummary);
}

/**
 * Everything about one series, shaped for the API and the pages; with `lang`, region names are in that
 * language (pages), without it they are the source names beside their translations (API, editors).
 */
export async function seriesDetail(db: Db, actor: Actor | null, idOrSlug: string, lang?: string) {
  const s = await visibleSeries(db, actor, idOrSlug);
  const [regions, sessions] = await Promise.all([repo.regionsOf(db, s.id), repo.sessionsOf(db, s.id)]);
  const regionMap = new Map(regions.map((r) => [r.id, r]));
  const presentations = await repo.presentationsOf(
    db,
    sessions.map((x) => x.id),
  );
  const presenters = await repo.presentersOf(
    db,
    presentations.map((p) => p.id),
  );
  const withEmail = canEditDirectory(actor, s.id);
  const byPresentation = new Map<string, ReturnType<typeof present.presentPerson>[]>();
  for (const p of presenters) {
    const list = byPresentation.get(p.presentation_id) ?? [];
    list.push(present.presentPerson(p, withEmail));
    byPresentation.set(p.presentation_id, list);
  }
  return {
    ...present.presentSeriesSummary(s),
    guidingQuestions: JSON.parse(s.guiding_questions) as string[],
    registrationMode: s.registration_mode,
    retentionDays: s.retention_days,
    regions: regions.map((r) => present.presentRegion(r, lang)),
    sessions: sessions.map((x) => ({
      ...present.presentSession(x, s, regionMap, canViewSeries(actor, s.id), lang),
      presentations: presentations
        .filter((p) => p.session_id === x.id)
        .map((p) => present.presentPresentation(p, byPresentation.get(p.id) ?? [])),
    })),
  };
}
export type SeriesDetail = Awaited<ReturnType<typeof seriesDetail>>;

async function assertSlugFree(db: Db, slug: string, exceptId?: string) {
  const other = await db.selectFrom('series').select('id').where('slug', '=', slug).executeTakeFirst();
  if (other && other.id !== exceptId)
    throw conflict('slug_taken', `The short name "${slug}" is already used by another series.`, 'slug');
}

/** Creates a series with its regions (the six divisions unless given); the creator coordinates it. */
export async function createSeries(db: Db, actor: Actor | null, input: SeriesCreateInput) {
  const a = authorize(
    actor,
    canCreateSeries(actor),
    'Only administrators and coordinators can create a series.',
  );
  await assertSlugFree(db, input.slug);
  const id = newId();
  const t = now();
  await db
    .insertInto('series')
    .values({
      id,
      slug: input.slug,
      title: input.title,
      description: input.description,
      guiding_questions: JSON.stringify(input.guidingQuestions),
      languages: JSON.stringify(input.languages),
      time_zone: input.timeZone,
      registration_mode: input.registrationMode,
      retention_days: input.retentionDays,
      status: input.status,
      created_at: t,
      updated_at: t,
    })
    .execute();
  const regions = input.regions ?? DEFAULT_REGIONS;
  await db
    .insertInto('region')
    .values(
      regions.map((r, i) => ({
        id: newId(),
        series_id: id,
        key: r.key,
        name: r.name,
        names: JSON.stringify(regionTranslations(r)),
        position: i,
      })),
    )
    .execute();
  const grantId = await addGrant(db, a.accountId, id, 'coordinator', null);
  // The actor lives for this request; let it see the draft it just made.
  a.grants.push({ id: grantId, seriesId: id, role: 'coordinator', regionId: null });
  return id;
}

export async function updateSeries(db: Db, actor: Actor | null, idOrSlug: string, input: SeriesUpdateInput) {
  const s = await seriesForRole(db, actor, idOrSlug, canManageSeries);
  if (input.slug && input.slug !== s.slug) await assertSlugFree(db, input.slug, s.id);
  await db
    .updateTable('series')
    .set({
      ...(input.slug !== undefined ? { slug: input.slug } : {}),
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.guidingQuestions !== undefined
        ? { guiding_questions: JSON.stringify(input.guidingQuestions) }
        : {}),
      ...(input.languages !== undefined ? { languages: JSON.stringify(input.languages) } : {}),
      ...(input.timeZone !== undefined ? { time_zone: input.timeZone } : {}),
      ...(input.registrationMode !== undefined ? { registration_mode: input.registrationMode } : {}),
      ...(input.retentionDays !== undefined ? { retention_days: input.retentionDays } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      updated_at: now(),
    })
    .where('id', '=', s.id)
    .execute();
  return s.id;
}

/** Replaces the region list: keys that stay keep their id (and sessions); a region in use cannot go. */
export async function replaceRegions(db: Db, actor: Actor | null, idOrSlug: string, regions: RegionInput[]) {
  const s = await seriesForRole(db, actor, idOrSlug, canManageSeries);
  const existing = await repo.regionsOf(db, s.id);
  const keep = new Set(regions.map((r) => r.key));
  for (const old of existing.filter((r) => !keep.has(r.key))) {
    const used = await db
      .selectFrom('session')
      .select('id')
      .where('region_id', '=', old.id)
      .executeTakeFirst();
    if (used)
      throw conflict(
        'region_in_use',
        `The region "${old.name}" still has sessions; move or delete them first.`,
        'regions',
      );
    await db.deleteFrom('region').where('id', '=', old.id).execute();
  }
  const byKey = new Map(existing.map((r) => [r.key, r]));
  for (const [i, r] of regions.entries()) {
    const old = byKey.get(r.key);
    // Translations left out of the input stay as they were.
    const names = r.names ? { names: JSON.stringify(cleanTranslations(r.names)) } : {};
    if (old)
      await db
        .updateTable('region')
        .set({ name: r.name, position: i, ...names })
        .where('id', '=', old.id)
        .execute();
    else
      await db
        .insertInto('region')
        .values({
          id: newId(),
          series_id: s.id,
          key: r.key,
          name: r.name,
          names: JSON.stringify(regionTranslations(r)),
          position: i,
        })
        .execute();
  }
  await repo.touchSeries(db, s.id);
}

/** Sets the names of a series' regions in other languages (region key → language → name; '' removes one). */
export async function setRegionNames(
  db: Db,
  actor: Actor | null,
  idOrSlug: string,
  names: Record<string, Translations>,
) {
  const s = await seriesForRole(db, actor, idOrSlug, canManageSeries);
  const existing = await repo.regionsOf(db, s.id);
  const unknown = Object.keys(names).find((k) => !existing.some((r) => r.key === k));
  if (unknown) throw invalid('unknown_region', `This series has no region "${unknown}".`, 'regions');
  for (const [key, list] of Object.entries(names))
    for (const [lang, name] of Object.entries(list))
      if (name.trim().length > 120)
        throw invalid('name_too_long', 'A region name has at most 120 characters.', `name_${key}_${lang}`);
  for (const r of existing)
    if (names[r.key])
      await db
        .updateTable('region')
        .set({ names: JSON.stringify(cleanTranslations(names[r.key])) })
        .where('id', '=', r.id)
        .execute();
  await repo.touchSeries(db, s.id);
}

/** An instant from an ISO string with offset, or from wall-clock time in `tz`. */
export function resolveInstant(value: string, tz: string, field: string): string {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const d = new Date(value);
    if (Number.isNaN(d.getTime()))
      throw invalid('invalid_datetime', 'This date and time does not exist.', field);
    return d.toISOString();
  }
  const d = zonedToUtc(value, tz);
  if (!d) throw invalid('invalid_datetime', 'This date and time does not exist.', field);
  return d.toISOString();
}

async function regionIdForKey(db: Db, seriesId: string, key: string | null | undefined) {
  if (!key) return null;
  const r = await db
    .selectFrom('region')
    .select('id')
    .where('series_id', '=', seriesId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!r) throw invalid('unknown_region', `This series has no region "${key}".`, 'regionKey');
  return r.id;
}

function checkOrder(startsAt: string, endsAt: string) {
  if (endsAt <= startsAt)
    throw invalid('session_ends_before_start', 'The session must end after it starts.', 'endsAt');
}

/** Adds a session to a series; the modules hooked on new sessions (live: its room) run in the same transaction. */
export async function createSession(
  db: Db,
  actor: Actor | null,
  seriesIdOrSlug: string,
  input: SessionCreateInput,
) {
  const s = await repo.findSeries(db, seriesIdOrSlug);
  if (!s) throw notFound('This series', 'id');
  const regionId = await regionIdForKey(db, s.id, input.regionKey);
  authorize(
    actor,
    canEditSession(actor, s.id, regionId),
    regionId ? 'You can only add sessions to your own region.' : undefined,
  );
  const startsAt = resolveInstant(input.startsAt, input.timeZone, 'startsAt');
  const endsAt = resolveInstant(input.endsAt, input.timeZone, 'endsAt');
  checkOrder(startsAt, endsAt);
  const id = newId();
  const t = now();
  await db
    .insertInto('session')
    .values({
      id,
      series_id: s.id,
      region_id: regionId,
      title: input.title,
      description: input.description,
      starts_at: startsAt,
      ends_at: endsAt,
      time_zone: input.timeZone,
      language: input.language,
      video_url: input.videoUrl ?? null,
      video_public: input.videoPublic ? 1 : 0,
      capacity: input.capacity ?? null,
      status: 'scheduled',
      sequence: 0,
      created_at: t,
      updated_at: t,
    })
    .execute();
  // Its live room (and join code) comes with it, in the same transaction.
  await emitSessionCreated(db, { id, series_id: s.id });
  await repo.touchSeries(db, s.id);
  return id;
}

/** A session the actor may edit (co-organisers: only in their region). */
export async function editableSession(db: Db, actor: Actor | null, sessionId: string) {
  const sess = await repo.findSession(db, sessionId);
  if (!sess) throw notFound('This session', 'id');
  authorize(
    actor,
    canEditSession(actor, sess.series_id, sess.region_id),
    'You can only edit sessions of your own region.',
  );
  return sess;
}

/**
 * Updates a session. A change of time, link or title raises `sequence`, which calendar
 * invitations carry as SEQUENCE so attendees' calendars take the update.
 */
export async function updateSession(
  db: Db,
  actor: Actor | null,
  sessionId: string,
  input: SessionUpdateInput,
) {
  const sess = await editableSession(db, actor, sessionId);
  let regionId = sess.region_id;
  if (input.regionKey !== undefined) {
    regionId = await regionIdForKey(db, sess.series_id, input.regionKey);
    authorize(
      actor,
      canEditSession(actor, sess.series_id, regionId),
      'You can only move sessions into your own region.',
    );
  }
  const tz = input.timeZone ?? sess.time_zone;
  const startsAt = input.startsAt ? resolveInstant(input.startsAt, tz, 'startsAt') : sess.starts_at;
  const endsAt = input.endsAt ? resolveInstant(input.endsAt, tz, 'endsAt') : sess.ends_at;
  checkOrder(startsAt, endsAt);
  const title = input.title ?? sess.title;
  const videoUrl = input.videoUrl !== undefined ? input.videoUrl : sess.video_url;
  const status = input.status ?? sess.status;
  const changed =
    startsAt !== sess.starts_at ||
    endsAt !== sess.ends_at ||
    title !== sess.title ||
    videoUrl !== sess.video_url ||
    status !== sess.status;
  await db
    .updateTable('session')
    .set({
      region_id: regionId,
      title,
      description: input.description ?? sess.description,
      starts_at: startsAt,
      ends_at: endsAt,
      time_zone: tz,
      language: input.language ?? sess.language,
      video_url: videoUrl,
      video_public: input.videoPublic !== undefined ? (input.videoPublic ? 1 : 0) : Number(sess.video_public),
      capacity: input.capacity !== undefined ? input.capacity : sess.capacity,
      status,
      sequence: changed ? sess.sequence + 1 : sess.sequence,
      updated_at: now(),
    })
    .where('id', '=', sess.id)
    .execute();
  await repo.touchSeries(db, sess.series_id);
  return { id: sess.id, changed, before: sess };
}

export async function deleteSession(db: Db, actor: Actor | null, sessionId: string) {
  const sess = await editableSession(db, actor, sessionId);
  await db.deleteFrom('session').where('id', '=', sess.id).execute();
  await repo.touchSeries(db, sess.series_id);
}

// ---- organisations and people ----

/** Two organisations of a series may not share a name (compared without case and extra spaces). */
async function assertOrganisationNameFree(db: Db, seriesId: string, name: string, exceptId?: string) {
  const norm = (x: string) => x.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  const others = await repo.organisationsOf(db, seriesId);
  const same = others.find((o) => o.id !== exceptId && norm(o.name) === norm(name));
  if (same)
    throw conflict(
      'organisation_exists',
      `An organisation named "${same.name}" is already part of this series. Choose it for people instead of adding it again.`,
      'name',
    );
}

export async function createOrganisation(
  db: Db,
  actor: Actor | null,
  seriesIdOrSlug: string,
  input: OrganisationInput,
) {
  const s = await seriesForRole(db, actor, seriesIdOrSlug, canEditDirectory);
  await assertOrganisationNameFree(db, s.id, input.name);
  const id = newId();
  await db
    .insertInto('organisation')
    .values({
      id,
      series_id: s.id,
      name: input.name,
      country: input.country ?? null,
      website: input.website ?? null,
      created_at: now(),
    })
    .execute();
  return id;
}

export async function updateOrganisation(db: Db, actor: Actor | null, id: string, input: OrganisationInput) {
  const o = await repo.findOrganisation(db, id);
  if (!o) throw notFound('This organisation', 'id');
  authorize(actor, canEditDirectory(actor, o.series_id));
  await assertOrganisationNameFree(db, o.series_id, input.name, o.id);
  await db
    .updateTable('organisation')
    .set({ name: input.name, country: input.country ?? null, website: input.website ?? null })
    .where('id', '=', id)
    .execute();
  await repo.touchSeries(db, o.series_id);
}

async function checkOrganisation(db: Db, seriesId: string, organisationId: string | null | undefined) {
  if (!organisationId) return null;
  const o = await repo.findOrganisation(db, organisationId);
  if (!o || o.series_id !== seriesId)
    throw invalid('unknown_organisation', 'This organisation is not part of the series.', 'organisationId');
  return o.id;
}

export async function createPerson(db: Db, actor: Actor | null, seriesIdOrSlug: string, input: PersonInput) {
  const s = await seriesForRole(db, actor, seriesIdOrSlug, canEditDirectory);
  const id = newId();
  await db
    .insertInto('person')
    .values({
      id,
      series_id: s.id,
      name: input.name,
      email: input.email ?? null,
      affiliation: input.affiliation,
      organisation_id: await checkOrganisation(db, s.id, input.organisationId),
      bio: input.bio,
      created_at: now(),
    })
    .execute();
  return id;
}

export async function updatePerson(db: Db, actor: Actor | null, id: string, input: PersonInput) {
  const p = await repo.findPerson(db, id);
  if (!p) throw notFound('This person', 'id');
  authorize(actor, canEditDirectory(actor, p.series_id));
  await db
    .updateTable('person')
    .set({
      name: input.name,
      email: input.email ?? null,
      affiliation: input.affiliation,
      organisation_id: await checkOrganisation(db, p.series_id, input.organisationId),
      bio: input.bio,
    })
    .where('id', '=', id)
    .execute();
  await repo.touchSeries(db, p.series_id);
}

export async function listDirectory(db: Db, actor: Actor | null, seriesIdOrSlug: string) {
  const s = await seriesForRole(db, actor, seriesIdOrSlug, canViewSeries);
  const withEmail = canEditDirectory(actor, s.id);
  const [people, organisations] = await Promise.all([
    repo.peopleOf(db, s.id),
    repo.organisationsOf(db, s.id),
  ]);
  return {
    people: people.map((p) => present.presentPerson(p, withEmail)),
    organisations: organisations.map(present.presentOrganisation),
  };
}

// ---- presentations ----

async function setPresenters(db: Db, seriesId: string, presentationId: string, personIds: string[]) {
  const unique = [...new Set(personIds)];
  if (unique.length) {
    const found = await db
      .selectFrom('person')
      .select('id')
      .where('series_id', '=', seriesId)
      .where('id', 'in', unique)
      .execute();
    if (found.length !== unique.length)
      throw invalid(
        'unknown_person',
        'One of the presenters is not a person of this series.',
        'presenterIds',
      );
  }
  await db.deleteFrom('presentation_person').where('presentation_id', '=', presentationId).execute();
  if (unique.length) {
    await db
      .insertInto('presentation_person')
      .values(unique.map((person_id, position) => ({ presentation_id: presentationId, person_id, position })))
      .execute();
  }
}

export async function createPresentation(
  db: Db,
  actor: Actor | null,
  sessionId: string,
  input: PresentationInput,
) {
  const sess = await editableSession(db, actor, sessionId);
  const last = await db
    .selectFrom('presentation')
    .select((eb) => eb.fn.max('position').as('m'))
    .where('session_id', '=', sess.id)
    .executeTakeFirst();
  const id = newId();
  await db
    .insertInto('presentation')
    .values({
      id,
      session_id: sess.id,
      title: input.title,
      abstract: input.abstract,
      slides_url: input.slidesUrl ?? null,
      organisation_id: await checkOrganisation(db, sess.series_id, input.organisationId),
      position: Number(last?.m ?? -1) + 1,
    })
    .execute();
  await setPresenters(db, sess.series_id, id, input.presenterIds);
  await repo.touchSeries(db, sess.series_id);
  return id;
}

async function editablePresentation(db: Db, actor: Actor | null, id: string) {
  const p = await repo.findPresentation(db, id);
  if (!p) throw notFound('This presentation', 'id');
  authorize(
    actor,
    canEditSession(actor, p.series_id, p.region_id),
    'You can only edit presentations of your own region.',
  );
  return p;
}

export async function updatePresentation(db: Db, actor: Actor | null, id: string, input: PresentationInput) {
  const p = await editablePresentation(db, actor, id);
  await db
    .updateTable('presentation')
    .set({
      title: input.title,
      abstract: input.abstract,
      slides_url: input.slidesUrl ?? null,
      organisation_id: await checkOrganisation(db, p.series_id, input.organisationId),
    })
    .where('id', '=', id)
    .execute();
  await setPresenters(db, p.series_id, id, input.presenterIds);
  await repo.touchSeries(db, p.series_id);
}

/** Deletes a presentation; returns the id of its session (where the console goes back to). */
export async function deletePresentation(db: Db, actor: Actor | null, id: string) {
  const p = await editablePresentation(db, actor, id);
  await db.deleteFrom('presentation').where('id', '=', id).execute();
  await repo.touchSeries(db, p.series_id);
  return p.session_id;
}

/** Translates a unique-constraint failure that slipped past the checks into a 409. */
export function mapUniqueViolation(e: unknown): never {
  const msg = e instanceof Error ? e.message : String(e);
  if (/UNIQUE constraint failed: series\.slug|series_slug_key/.test(msg))
    throw conflict('slug_taken', 'This short name is already used by another series.', 'slug');
  if (e instanceof AppError) throw e;
  throw e;
}

/** A session by id, or 404. */
export async function findSessionOr404(db: Db, id: string) {
  const s = await repo.findSession(db, id);
  if (!s) throw notFound('This session', 'id');
  return s;
}

/** A person by id, or 404. */
export async function findPersonOr404(db: Db, id: string) {
  const p = await repo.findPerson(db, id);
  if (!p) throw notFound('This person', 'id');
  return p;
}
