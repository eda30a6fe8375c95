import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { renderCommentMarkdown, renderPostMarkdown } from './markdown.ts';
import { countFindings, DEMO_RESPONSES } from './demo-responses.ts';
import { createSnapshot } from './snapshot.ts';

interface Ids {
  foundingSeriesId: string;
  coordinatorId: string;
}

const EN = `When we planned six regional webinars on library leadership, we wanted more than six recordings. We wanted to hear from the people in the audience: what works where they are, what they would advise others, and what they still lack.

Attendees answered from their phones, in their own languages. Below are the findings from those answers, frozen as they stood when we wrote this post, with some of the words behind them.

## What stands out

- **Mentoring and coaching** are named as the practices that work, in every region.
- **Team building** and **leading in times of crisis** are what attendees recommend to other associations.
- **Leadership training** and **better communication** are what they most need, often in their own language and without travel.

These are counts over a small set of coded answers, not a survey. The ranges in the charts show how sure each share is. We will present the full analysis at the congress session in Dublin, and we would like your comments before then: what is missing, what rings true where you work?`;

const FR = `En préparant six webinaires régionaux sur le leadership en bibliothèque, nous voulions plus que six enregistrements : nous voulions entendre le public. Ce qui marche chez eux, ce qu'ils conseilleraient, ce qui leur manque encore.

Les participants ont répondu depuis leur téléphone, dans leur langue. Voici les résultats tirés de ces réponses, figés au moment de la rédaction, avec quelques citations.

## Ce qui ressort

- **Le mentorat et le coaching** sont cités partout comme les pratiques qui fonctionnent.
- **L'esprit d'équipe** et **diriger en temps de crise** sont les recommandations les plus fréquentes.
- **La formation au leadership** et **une meilleure communication** sont les besoins les plus cités.

Il s'agit de comptages sur un petit ensemble de réponses codées, pas d'une enquête. Nous présenterons l'analyse complète à Dublin ; vos commentaires sont les bienvenus d'ici là.`;

/** The demo's publication: a findings snapshot from demo answers, a post and its French translation, comments, the congress session. */
export async function seedPublishingDemo(db: Kysely<Database>, ids: Ids): Promise<void> {
  const seriesId = ids.foundingSeriesId;
  const snapshotId = await createSnapshot(db, {
    seriesId,
    title: 'Six regions, until June 2022',
    engineVersion: 'demo-count-1',
    params: { method: 'hand-assigned themes, counted per kind', responses: DEMO_RESPONSES.length },
    result: countFindings(DEMO_RESPONSES),
    createdAt: '2022-06-30T12:00:00.000Z',
  });
  const group = newId();
  const post = async (slug: string, language: string, title: string, summary: string, body: string, at: string) => {
    const id = newId();
    await db
      .insertInto('post')
      .values({
        id, series_id: seriesId, slug, language, translation_group: group, title, summary, body_md: body, body_html: renderPostMarkdown(body), status: 'published', publish_at: null, published_at: at,
        author_id: ids.coordinatorId, tags: JSON.stringify(['findings', 'leadership']), cover_upload_id: null, snapshot_id: snapshotId, created_at: at, updated_at: at,
      })
      .execute();
    return id;
  };
  const postId = await post('what-six-regions-told-us', 'en', 'What six regions told us about library leadership', 'Mentoring and coaching work; teams and crisis leadership are the advice; training and communication are the needs.', EN, '2022-07-04T09:00:00.000Z');
  await post('ce-que-six-regions-nous-ont-dit', 'fr', 'Ce que six régions nous ont dit sur le leadership en bibliothèque', 'Le mentorat et le coaching fonctionnent ; former les équipes et diriger en crise ; besoins : formation et communication.', FR, '2022-07-05T09:00:00.000Z');

  const comment = async (name: string, email: string | null, body: string, at: string, parentId: string | null = null, accountId: string | null = null) => {
    const id = newId();
    await db
      .insertInto('comment')
      .values({
        id, post_id: postId, parent_id: parentId, account_id: accountId, identity: null, author_name: name, author_email: email, author_website: null, body_md: body, body_html: renderCommentMarkdown(body),
        body_hash: createHash('sha256').update(body).digest('hex'), status: 'approved', held_reason: null, notify_replies: 0, unsubscribe_token: null, created_at: at, approved_at: at,
      })
      .execute();
    return id;
  };
  const first = await comment('Nomvula D.', 'nomvula@example.org', 'The point about training **without travel** matches our experience in Durban: most of our staff cannot leave for a week.', '2022-07-06T08:12:00.000Z');
  await comment('Demo coordinator', null, 'Thank you. Several answers from the Sub-Saharan Africa session said the same; we will bring it to the Dublin session.', '2022-07-06T10:40:00.000Z', first, ids.coordinatorId);
  await comment('Pablo R.', 'pablo@example.org', 'Interesting that volunteering in the association only shows up in Latin America. Did other regions not mention it, or is it coded differently?', '2022-07-07T15:03:00.000Z');

  const now = new Date().toISOString();
  await db
    .insertInto('congress_session')
    .values({
      id: newId(), series_id: seriesId, slug: 'dublin-2022', title: 'Leadership, diversity and the profession: findings from six regions', event_name: 'World Library and Information Congress 2022',
      description: 'An open session presenting the in-depth analysis of the six regional webinars, followed by a discussion with the audience.',
      starts_at: '2022-07-27T07:30:00.000Z', ends_at: '2022-07-27T09:00:00.000Z', time_zone: 'Europe/Dublin', venue: 'Convention Centre Dublin',
      guiding_questions: JSON.stringify(['How do countries define leadership?', 'How can new professionals be supported into leadership?', 'How can leadership be open, inclusive and diverse?']),
      speakers: JSON.stringify(['The series coordinator', 'Mei Lin Tan (Asia-Pacific Librarians Association)', 'Adaeze Okafor (West and East African Library Association)']),
      snapshot_id: snapshotId, sequence: 0, created_at: now, updated_at: now,
    })
    .execute();
}
