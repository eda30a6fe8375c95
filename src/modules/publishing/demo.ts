import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { renderCommentMarkdown, renderPostMarkdown } from './markdown.ts';
import { findSnapshot, listSnapshots, type SnapshotResult } from './snapshot.ts';

interface Ids {
  foundingSeriesId: string;
  coordinatorId: string;
}

const EN = `When we planned six regional webinars on library leadership, we wanted more than six recordings. We wanted to hear from the people in the audience: what works where they are, what they would advise others, and what they still lack.

Attendees answered from their phones, in their own languages. Below are the findings from those answers, frozen as they stood when we wrote this post, with some of the words behind them.

## What stands out

{{findings}}

These are counts over the coded answers of six sessions, not a survey. The ranges in the charts show how sure each share is. We will present the full analysis at the congress session in Dublin, and we would like your comments before then: what is missing, what rings true where you work?`;

const FR = `En préparant six webinaires régionaux sur le leadership en bibliothèque, nous voulions plus que six enregistrements : nous voulions entendre le public. Ce qui marche chez eux, ce qu'ils conseilleraient, ce qui leur manque encore.

Les participants ont répondu depuis leur téléphone, dans leur langue. Voici les résultats tirés de ces réponses, figés au moment de la rédaction, avec quelques citations.

## Ce qui ressort

{{findings}}

Il s'agit de comptages sur les réponses codées de six sessions, pas d'une enquête. Nous présenterons l'analyse complète à Dublin ; vos commentaires sont les bienvenus d'ici là.`;

const KIND_NAMES: Record<string, Record<string, string>> = {
  en: { best_practice: 'Best practices', recommendation: 'Recommendations', need: 'Needs' },
  fr: { best_practice: 'Bonnes pratiques', recommendation: 'Recommandations', need: 'Besoins' },
};

/**
 * What the post says its snapshot shows, written from the snapshot itself: per prompt kind, the two
 * themes most mentioned with their shares. The post's words and its charts therefore cannot disagree.
 */
export function statedFindings(result: SnapshotResult, lang: 'en' | 'fr'): string {
  const and = lang === 'fr' ? 'et' : 'and';
  const of = lang === 'fr' ? 'des réponses' : 'of answers';
  return Object.entries(result.kinds)
    .filter(([, k]) => k.themes.length > 0)
    .map(([kind, k]) => {
      const top = k.themes
        .slice(0, 2)
        .map((t) => `**${t.label}** (${Math.round(t.share * 100)}${lang === 'fr' ? '\u202f%' : '%'} ${of})`);
      return `- ${KIND_NAMES[lang][kind] ?? kind}: ${top.join(` ${and} `)}.`;
    })
    .join('\n');
}

/** The demo's publication: a post (and its French translation) embedding the workbench's snapshot, comments, the congress session. */
export async function seedPublishingDemo(db: Kysely<Database>, ids: Ids): Promise<void> {
  const seriesId = ids.foundingSeriesId;
  // The snapshot the workbench took of the coded and reviewed answers (seeded before this part).
  const [latest] = await listSnapshots(db, seriesId);
  const snapshot = latest ? await findSnapshot(db, latest.id) : null;
  if (!snapshot) throw new Error('The demo post needs the workbench snapshot of the founding series.');
  const snapshotId = snapshot.id;
  const group = newId();
  const post = async (
    slug: string,
    language: string,
    title: string,
    summary: string,
    body: string,
    at: string,
  ) => {
    const id = newId();
    await db
      .insertInto('post')
      .values({
        id,
        series_id: seriesId,
        slug,
        language,
        translation_group: group,
        title,
        summary,
        body_md: body,
        body_html: renderPostMarkdown(body),
        status: 'published',
        publish_at: null,
        published_at: at,
        author_id: ids.coordinatorId,
        tags: JSON.stringify(['findings', 'leadership']),
        cover_upload_id: null,
        snapshot_id: snapshotId,
        created_at: at,
        updated_at: at,
      })
      .execute();
    return id;
  };
  const postId = await post(
    'what-six-regions-told-us',
    'en',
    'What six regions told us about library leadership',
    'What attendees in six regions said works, what they recommend and what they still need, counted from their answers.',
    EN.replace('{{findings}}', statedFindings(snapshot.result, 'en')),
    '2022-07-04T09:00:00.000Z',
  );
  await post(
    'ce-que-six-regions-nous-ont-dit',
    'fr',
    'Ce que six régions nous ont dit sur le leadership en bibliothèque',
    'Ce qui marche, ce que les participants de six régions recommandent et ce qui leur manque, compté à partir de leurs réponses.',
    FR.replace('{{findings}}', statedFindings(snapshot.result, 'fr')),
    '2022-07-05T09:00:00.000Z',
  );

  const comment = async (
    name: string,
    email: string | null,
    body: string,
    at: string,
    parentId: string | null = null,
    accountId: string | null = null,
  ) => {
    const id = newId();
    await db
      .insertInto('comment')
      .values({
        id,
        post_id: postId,
        parent_id: parentId,
        account_id: accountId,
        identity: null,
        author_name: name,
        author_email: email,
        author_website: null,
        body_md: body,
        body_html: renderCommentMarkdown(body),
        body_hash: createHash('sha256').update(body).digest('hex'),
        status: 'approved',
        held_reason: null,
        notify_replies: 0,
        unsubscribe_token: null,
        created_at: at,
        approved_at: at,
      })
      .execute();
    return id;
  };
  const first = await comment(
    'Nomvula D.',
    'nomvula@example.org',
    'The point about training **without travel** matches our experience in Durban: most of our staff cannot leave for a week.',
    '2022-07-06T08:12:00.000Z',
  );
  await comment(
    'Demo coordinator',
    null,
    'Thank you. Several answers from the Sub-Saharan Africa session said the same; we will bring it to the Dublin session.',
    '2022-07-06T10:40:00.000Z',
    first,
    ids.coordinatorId,
  );
  await comment(
    'Pablo R.',
    'pablo@example.org',
    'Interesting that volunteering in the association only shows up in Latin America. Did other regions not mention it, or is it coded differently?',
    '2022-07-07T15:03:00.000Z',
  );

  const now = new Date().toISOString();
  await db
    .insertInto('congress_session')
    .values({
      id: newId(),
      series_id: seriesId,
      slug: 'dublin-2022',
      title: 'Leadership, diversity and the profession: findings from six regions',
      event_name: 'World Library and Information Congress 2022',
      description:
        'An open session presenting the in-depth analysis of the six regional webinars, followed by a discussion with the audience.',
      starts_at: '2022-07-27T07:30:00.000Z',
      ends_at: '2022-07-27T09:00:00.000Z',
      time_zone: 'Europe/Dublin',
      venue: 'Convention Centre Dublin',
      guiding_questions: JSON.stringify([
        'How do countries define leadership?',
        'How can new professionals be supported into leadership?',
        'How can leadership be open, inclusive and diverse?',
      ]),
      speakers: JSON.stringify([
        'The series coordinator',
        'Mei Lin Tan (Asia-Pacific Librarians Association)',
        'Adaeze Okafor (West and East African Library Association)',
      ]),
      snapshot_id: snapshotId,
      sequence: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
}
