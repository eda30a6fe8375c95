import type { Db } from '../../db/index.ts';
import { conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { accountNames, authorize, canManageSeries, canViewSeries, type Actor } from '../accounts/index.ts';
import { findSeries } from '../series/index.ts';
import { renderPostMarkdown } from './markdown.ts';
import type { PostInput, PostUpdateInput } from './publishing.schema.ts';
import type { PostTable } from './publishing.tables.ts';
import { requireSnapshotInSeries } from './snapshot.ts';

export type PostRow = PostTable & { author_name?: string | null };

/** Published, or scheduled with its time passed: what readers may see (checked at read time, no job). */
export function isVisible(
  p: Pick<PostRow, 'status' | 'publish_at'>,
  now = new Date().toISOString(),
): boolean {
  return p.status === 'published' || (p.status === 'scheduled' && !!p.publish_at && p.publish_at <= now);
}

/** When readers see the post as published. */
export const publishedAt = (p: Pick<PostRow, 'status' | 'publish_at' | 'published_at'>) =>
  (p.status === 'scheduled' ? p.publish_at : p.published_at) ?? null;

export const postPath = (seriesSlug: string, postSlug: string) => `/series/${seriesSlug}/posts/${postSlug}`;

function resolvePublishAt(status: string, publishAt: string | null | undefined): string | null {
  if (!publishAt) {
    if (status === 'scheduled')
      throw invalid(
        'publish_at_required',
        'A scheduled post needs a publication date and time.',
        'publishAt',
      );
    return null;
  }
  const d = new Date(publishAt);
  if (Number.isNaN(d.getTime()))
    throw invalid('invalid_datetime', 'This date and time is not valid.', 'publishAt');
  return d.toISOString();
}

async function checkRefs(
  db: Db,
  seriesId: string,
  input: { coverUploadId?: string | null; snapshotId?: string | null },
) {
  if (input.snapshotId) await requireSnapshotInSeries(db, input.snapshotId, seriesId);
  if (input.coverUploadId) {
    const u = await db
      .selectFrom('upload')
      .select('series_id')
      .where('id', '=', input.coverUploadId)
      .executeTakeFirst();
    if (!u || u.series_id !== seriesId) throw notFound('This image', 'coverUploadId');
  }
}

async function slugFree(db: Db, seriesId: string, slug: string, exceptId?: string) {
  let q = db.selectFrom('post').select('id').where('series_id', '=', seriesId).where('slug', '=', slug);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst())
    throw conflict('slug_taken', 'Another post of this series already uses this short name.', 'slug');
}

/** A series the actor coordinates (404 if unknown, 401/403 otherwise). */
export async function managedSeries(db: Db, actor: Actor | null, idOrSlug: string) {
  const s = await findSeries(db, idOrSlug);
  if (!s) throw notFound('This series', 'seriesId');
  authorize(actor, canManageSeries(actor, s.id), 'Only the coordinators of this series can do this.');
  return s;
}

/** Writes a new post; the Markdown is rendered and sanitised once, here. */
export async function createPost(
  db: Db,
  actor: Actor | null,
  seriesIdOrSlug: string,
  input: PostInput,
): Promise<string> {
  const s = await managedSeries(db, actor, seriesIdOrSlug);
  await slugFree(db, s.id, input.slug);
  await checkRefs(db, s.id, input);
  let group = newId();
  if (input.translationOf) {
    const orig = await db
      .selectFrom('post')
      .select(['translation_group', 'series_id'])
      .where('id', '=', input.translationOf)
      .executeTakeFirst();
    if (!orig || orig.series_id !== s.id) throw notFound('The original post', 'translationOf');
    const same = await db
      .selectFrom('post')
      .select('id')
      .where('translation_group', '=', orig.translation_group)
      .where('language', '=', input.language)
      .executeTakeFirst();
    if (same)
      throw conflict(
        'translation_exists',
        'This post already has a translation in this language.',
        'language',
      );
    group = orig.translation_group;
  }
  const now = new Date().toISOString();
  const id = newId();
  await db
    .insertInto('post')
    .values({
      id,
      series_id: s.id,
      slug: input.slug,
      language: input.language,
      translation_group: group,
      title: input.title,
      summary: input.summary,
      body_md: input.bodyMd,
      body_html: renderPostMarkdown(input.bodyMd),
      status: input.status,
      publish_at: resolvePublishAt(input.status, input.publishAt),
      publish_time_zone: input.publishTimeZone ?? null,
      published_at: input.status === 'published' ? now : null,
      author_id: actor!.accountId,
      tags: JSON.stringify(input.tags),
      cover_upload_id: input.coverUploadId,
      snapshot_id: input.snapshotId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** A post by id that the actor may edit. */
export async function editablePost(db: Db, actor: Actor | null, id: string): Promise<PostRow> {
  const p = await db.selectFrom('post').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) throw notFound('This post', 'id');
  authorize(actor, canManageSeries(actor, p.series_id), 'Only the coordinators of this series can do this.');
  return p;
}

/** Changes a post; publishing stamps published_at the first time. */
export async function updatePost(
  db: Db,
  actor: Actor | null,
  id: string,
  input: PostUpdateInput,
): Promise<void> {
  const p = await editablePost(db, actor, id);
  if (input.slug && input.slug !== p.slug) await slugFree(db, p.series_id, input.slug, id);
  await checkRefs(db, p.series_id, input);
  const status = input.status ?? p.status;
  const publishAt =
    input.publishAt !== undefined
      ? resolvePublishAt(status, input.publishAt)
      : resolvePublishAt(status, p.publish_at);
  const now = new Date().toISOString();
  await db
    .updateTable('post')
    .set({
      slug: input.slug ?? p.slug,
      language: input.language ?? p.language,
      title: input.title ?? p.title,
      summary: input.summary ?? p.summary,
      ...(input.bodyMd !== undefined
        ? { body_md: input.bodyMd, body_html: renderPostMarkdown(input.bodyMd) }
        : {}),
      status,
      publish_at: publishAt,
      publish_time_zone: input.publishTimeZone !== undefined ? input.publishTimeZone : p.publish_time_zone,
      published_at: status === 'published' ? (p.published_at ?? now) : p.published_at,
      tags: input.tags ? JSON.stringify(input.tags) : p.tags,
      cover_upload_id: input.coverUploadId !== undefined ? input.coverUploadId : p.cover_upload_id,
      snapshot_id: input.snapshotId !== undefined ? input.snapshotId : p.snapshot_id,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Deletes a post and its comments. */
export async function deletePost(db: Db, actor: Actor | null, id: string): Promise<void> {
  await editablePost(db, actor, id);
  await db.deleteFrom('post').where('id', '=', id).execute();
}

/** The posts with the name of their author (accounts knows the names). */
async function withAuthors<T extends PostTable>(
  db: Db,
  rows: T[],
): Promise<(T & { author_name: string | null })[]> {
  const names = await accountNames(
    db,
    rows.flatMap((r) => (r.author_id ? [r.author_id] : [])),
  );
  return rows.map((r) => ({ ...r, author_name: (r.author_id && names.get(r.author_id)) ?? null }));
}

/** One post by id with its author's name, or undefined. */
export async function findPost(db: Db, id: string): Promise<PostRow | undefined> {
  const p = await db.selectFrom('post').selectAll().where('id', '=', id).executeTakeFirst();
  return p ? (await withAuthors(db, [p]))[0] : undefined;
}

/** Every post of a series for its coordinators (drafts included), newest first. */
export async function listAllPosts(db: Db, seriesId: string): Promise<PostRow[]> {
  return withAuthors(
    db,
    await db
      .selectFrom('post')
      .selectAll()
      .where('series_id', '=', seriesId)
      .orderBy('created_at', 'desc')
      .execute(),
  );
}

/** What readers see: published posts and scheduled ones whose time has come, newest first. */
export async function listVisiblePosts(
  db: Db,
  seriesId: string,
  now = new Date().toISOString(),
): Promise<PostRow[]> {
  const rows = await db
    .selectFrom('post')
    .selectAll()
    .where('series_id', '=', seriesId)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'published'),
        eb.and([eb('status', '=', 'scheduled'), eb('publish_at', '<=', now)]),
      ]),
    )
    .execute()
    .then((r) => withAuthors(db, r));
  return rows.sort((a, b) => (publishedAt(b) ?? '').localeCompare(publishedAt(a) ?? ''));
}

/** One post by series and slug: readers get visible ones, the series' team also drafts. */
export async function findReadablePost(
  db: Db,
  actor: Actor | null,
  seriesId: string,
  slug: string,
): Promise<PostRow> {
  const row = await db
    .selectFrom('post')
    .selectAll()
    .where('series_id', '=', seriesId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  const p = row ? (await withAuthors(db, [row]))[0] : undefined;
  if (!p || (!isVisible(p) && !canViewSeries(actor, seriesId))) throw notFound('This post', 'slug');
  return p;
}

/** One post by id: readers get visible ones, the series' team also drafts. */
export async function findReadablePostById(db: Db, actor: Actor | null, id: string): Promise<PostRow> {
  const p = await findPost(db, id);
  if (!p || (!isVisible(p) && !canViewSeries(actor, p.series_id))) throw notFound('This post', 'id');
  return p;
}

/** The visible posts of one translation group of a series, oldest first. */
export async function visibleTranslationGroup(db: Db, seriesId: string, group: string): Promise<PostRow[]> {
  const rows = await db
    .selectFrom('post')
    .selectAll()
    .where('series_id', '=', seriesId)
    .where('translation_group', '=', group)
    .orderBy('created_at')
    .execute();
  return rows.filter((p) => isVisible(p));
}

/** The other languages of a post (visible ones only unless `all`). */
export async function translationsOf(db: Db, p: PostRow, all = false): Promise<PostRow[]> {
  const rows = await db
    .selectFrom('post')
    .selectAll()
    .where('translation_group', '=', p.translation_group)
    .orderBy('language')
    .execute();
  return rows.filter((r) => all || isVisible(r));
}
