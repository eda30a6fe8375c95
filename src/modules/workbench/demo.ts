// Demo: the founding series' six rooms get a few hundred attendee answers through the live module's own
// functions (career stage in the participant's attributes), then the workbench pulls them in and codes
// them, exactly as it does with a real series.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { DemoIds } from '../../demo/index.ts';
import { composeDemoAnswers, type DemoKind } from './demo-responses.ts';
import type { Actor } from '../accounts/index.ts';
import { saveFindingsSnapshot } from './findings.service.ts';
import {
  engineFor,
  learnFromDecision,
  openWorkbench,
  recordDecision,
  reviewQueue,
} from './workbench.service.ts';
import { addSeriesPrompts, recordPastRoom } from '../live/index.ts';
import { sessionsOf } from '../series/index.ts';

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

/** Seeds the founding series' answers in its six rooms through the live module, then opens the workbench (codes them). */
export async function seedWorkbenchDemo(db: Kysely<Database>, ids: DemoIds): Promise<void> {
  const seriesId = ids.foundingSeriesId;
  const kinds = Object.keys(PROMPTS) as DemoKind[];
  const promptIds = await addSeriesPrompts(
    db,
    seriesId,
    kinds.map((kind, i) => ({
      kind,
      text: PROMPTS[kind],
      position: 101 + i,
      createdAt: new Date().toISOString(),
    })),
  );
  const promptOf = new Map(kinds.map((k, i) => [k, promptIds[i]]));
  const startOf = new Map((await sessionsOf(db, seriesId)).map((s) => [s.id, s.starts_at]));
  const answers = composeDemoAnswers();
  for (const [region, sessionId] of Object.entries(ids.foundingSessionIds)) {
    const start = startOf.get(sessionId);
    if (!start) continue;
    const mine = answers.filter((a) => a.region === region);
    // One participant per answer triple: attendees usually answered all three prompts.
    const perKind = Math.ceil(mine.length / 3);
    const participants = Array.from({ length: perKind }, (_, p) => {
      const first = mine.find((_a, i) => i % perKind === p);
      return {
        attributes: { career_stage: first?.careerStage ?? 'mid-career' },
        language: first?.language ?? 'en',
      };
    });
    const at = (minute: number) => new Date(Date.parse(start) + minute * 60_000).toISOString();
    await recordPastRoom(db, {
      seriesId,
      sessionId,
      openedAt: start,
      prompts: promptIds.map((id, i) => ({ id, position: i + 1 })),
      participants,
      answers: mine.map((a, i) => ({
        promptId: promptOf.get(a.kind)!,
        participant: i % perKind,
        text: a.text,
        language: a.language,
        at: at(a.minute),
      })),
    });
  }
  await openWorkbench(db, seriesId);
  await reviewAndSnapshot(db, ids, answers);
}

/** How many of the engine's least certain proposals the demo coordinator decides. */
const DEMO_DECISIONS = 24;

/**
 * The demo's human step and its snapshot: the coordinator decides the engine's least certain proposals
 * through the review service (accepting a theme the answer was written about, rejecting one it was not),
 * the engine learns from each decision, then the findings are frozen as the snapshot the post and the
 * congress session embed.
 */
async function reviewAndSnapshot(
  db: Kysely<Database>,
  ids: DemoIds,
  answers: readonly { text: string; themes: string[] }[],
): Promise<void> {
  const seriesId = ids.foundingSeriesId;
  const actor: Actor = {
    accountId: ids.coordinatorId,
    email: '',
    name: 'Demo coordinator',
    isAdmin: false,
    grants: [{ id: 'demo', seriesId, role: 'coordinator', regionId: null }],
    sessionId: '',
    csrfToken: '',
  };
  const meant = new Map(answers.map((a) => [a.text, new Set(a.themes)]));
  const { engine } = await engineFor(db, seriesId);
  if (engine) {
    for (const q of await reviewQueue(db, engine, DEMO_DECISIONS)) {
      const decision = meant.get(q.item.text)?.has(q.themeKey) ? 'accept' : 'reject';
      const example = await recordDecision(db, actor, seriesId, q.item.id, {
        themeKey: q.themeKey,
        decision,
      });
      await learnFromDecision(db, seriesId, example);
    }
  }
  await saveFindingsSnapshot(db, seriesId, {
    title: 'Six regions, until June 2022',
    filters: { asOf: DEMO_AS_OF },
    edits: {},
  });
}

/** The demo snapshot counts what was said until the end of the six sessions. */
export const DEMO_AS_OF = '2022-06-30';
