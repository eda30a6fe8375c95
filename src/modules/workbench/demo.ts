// Demo: the founding series' sessions get a few hundred attendee answers in the live tables (with career
// stage in the participant's attributes), then the workbench pulls them in and codes them.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { DemoIds } from '../../demo/index.ts';
import { newId } from '../../lib/ids.ts';
import { composeDemoAnswers, type DemoKind } from './demo-responses.ts';
import { openWorkbench } from './workbench.service.ts';
import '../live/live.tables.ts';

const PROMPTS: Record<DemoKind, Record<string, string>> = {
  best_practice: {
    en: 'Which practice in your association best helps new professionals grow into leadership?',
    fr: 'Quelle pratique de votre association aide le mieux les jeunes professionnels à devenir des leaders ?',
    es: '¿Qué práctica de su asociación ayuda mejor a los nuevos profesionales a llegar al liderazgo?',
  },
  recommendation: {
    en: 'What do you recommend to associations that want to support new leaders?',
    fr: 'Que recommandez-vous aux associations qui veulent soutenir de nouveaux leaders ?',
    es: '¿Qué recomienda a las asociaciones que quieren apoyar a nuevos líderes?',
  },
  need: {
    en: 'What do you need most to grow as a leader?',
    fr: 'De quoi avez-vous le plus besoin pour progresser en tant que leader ?',
    es: '¿Qué necesita más para crecer como líder?',
  },
};

/** Seeds the founding series' live answers and opens its workbench (codes them with the default codebook). */
export async function seedWorkbenchDemo(db: Kysely<Database>, ids: DemoIds): Promise<void> {
  const seriesId = ids.foundingSeriesId;
  const now = new Date().toISOString();
  const promptIds = {} as Record<DemoKind, string>;
  let position = 100;
  for (const kind of Object.keys(PROMPTS) as DemoKind[]) {
    promptIds[kind] = newId();
    await db
      .insertInto('live_prompt')
      .values({
        id: promptIds[kind],
        series_id: seriesId,
        session_id: null,
        type: 'open_text',
        kind,
        text: JSON.stringify(PROMPTS[kind]),
        choices: '[]',
        settings: '{}',
        position: ++position,
        created_at: now,
      })
      .execute();
  }
  const sessions = await db
    .selectFrom('session')
    .select(['id', 'starts_at'])
    .where('id', 'in', Object.values(ids.foundingSessionIds))
    .execute();
  const startOf = new Map(sessions.map((s) => [s.id, s.starts_at]));
  const answers = composeDemoAnswers();
  let n = 0;
  for (const [region, sessionId] of Object.entries(ids.foundingSessionIds)) {
    const start = startOf.get(sessionId);
    if (!start) continue;
    const roomId = newId();
    await db
      .insertInto('live_room')
      .values({
        id: roomId,
        code: `H22${(++n).toString(36).toUpperCase()}${randomBytes(2).toString('hex').toUpperCase()}`,
        session_id: sessionId,
        series_id: seriesId,
        current_prompt_id: null,
        state: 'closed',
        pre_moderation: 0,
        created_at: start,
      })
      .execute();
    for (const [i, kind] of (Object.keys(PROMPTS) as DemoKind[]).entries()) {
      await db
        .insertInto('live_room_prompt')
        .values({
          room_id: roomId,
          prompt_id: promptIds[kind],
          position: i + 1,
          status: 'closed',
          revealed: 1,
          opened_at: start,
        })
        .execute();
    }
    const mine = answers.filter((a) => a.region === region);
    // One participant per answer triple: attendees usually answered all three prompts.
    const participants: string[] = [];
    const perKind = Math.ceil(mine.length / 3);
    for (let p = 0; p < perKind; p++) participants.push(newId());
    const stageOf = new Map<string, string>();
    const langOf = new Map<string, string>();
    mine.forEach((a, i) => {
      const pid = participants[i % perKind];
      if (!stageOf.has(pid)) stageOf.set(pid, a.careerStage);
      if (!langOf.has(pid)) langOf.set(pid, a.language);
    });
    const at = (minute: number) => new Date(Date.parse(start) + minute * 60_000).toISOString();
    await db
      .insertInto('live_participant')
      .values(
        participants.map((pid) => ({
          id: pid,
          room_id: roomId,
          key_hash: randomBytes(16).toString('hex'),
          registration_id: null,
          attributes: JSON.stringify({ career_stage: stageOf.get(pid) ?? 'mid-career' }),
          language: langOf.get(pid) ?? 'en',
          created_at: start,
        })),
      )
      .execute();
    await db
      .insertInto('live_response')
      .values(
        mine.map((a, i) => ({
          id: newId(),
          prompt_id: promptIds[a.kind],
          room_id: roomId,
          session_id: sessionId,
          participant_id: participants[i % perKind],
          client_key: newId(),
          vote_key: null,
          text: a.text,
          choices: null,
          value: null,
          language: a.language,
          status: 'visible',
          pinned: 0,
          answered: 0,
          upvotes: 0,
          created_at: at(a.minute),
        })),
      )
      .execute();
  }
  await openWorkbench(db, seriesId);
}
