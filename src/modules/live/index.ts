import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import type { DemoIds } from '../../demo/index.ts';
import { liveConsole } from './live.console.ts';
import { livePages } from './live.pages.ts';
import { liveApi } from './live.routes.ts';
import { LiveRuntime } from './live.runtime.ts';
import { newId } from '../../lib/ids.ts';
import { liveLinks, type LiveLinks } from './live.links.ts';
import { findRoomBySession, roomCodesOf } from './live.repository.ts';

export type { LiveEvents, LiveEventName, RoomState, Results, AnswerOut, PromptOut } from './live.events.ts';
export {
  addSeriesPrompts,
  analysisAttributes,
  answerIdsOfRegistrations,
  answersForAnalysis,
  eraseParticipantsOfRegistrations,
  exportAnswersOfRegistrations,
  recordPastRoom,
  roomCodeOfSession,
  ANALYSIS_ATTRIBUTES,
  type AnswerForAnalysis,
  type PastRoom,
} from './live.analysis.ts';
export { setRegistrationResolver, type RegistrationResolver, LiveRuntime } from './live.runtime.ts';
export { createRoomForSession } from './live.service.ts';
export { liveLinks, type LiveLinks } from './live.links.ts';

/**
 * The live links of sessions (live room, presenter screen, attendee link, QR code), by session id,
 * for the console's session rows. Every session has its room (and join code) from the moment it exists;
 * one without would have no entry.
 */
export async function liveLinksOf(
  db: Kysely<Database>,
  publicUrl: string,
  sessionIds: string[],
): Promise<Map<string, LiveLinks>> {
  const codes = await roomCodesOf(db, sessionIds);
  return new Map([...codes].map(([id, code]) => [id, liveLinks(publicUrl, id, code)]));
}

/** The live module's routes: public attendee API and pages, presenter screen, facilitator console. */
export async function liveRoutes(app: FastifyInstance): Promise<void> {
  const live = await LiveRuntime.create(
    app.ctx.db,
    app.ctx.config.redisUrl,
    app.log,
    app.ctx.sqlite?.name,
    app.ctx.limits,
  );
  // LIVE_DEBUG=1: report event-loop stalls at exit (tells a slow server from a busy machine).
  const loop = process.env.LIVE_DEBUG ? monitorEventLoopDelay({ resolution: 10 }) : null;
  loop?.enable();
  // Open event streams would keep close() waiting forever: end them first.
  app.addHook('preClose', async () => {
    if (loop)
      process.stderr.write(
        `live event loop delay ms: p50 ${(loop.percentile(50) / 1e6).toFixed(1)} p99 ${(loop.percentile(99) / 1e6).toFixed(1)} max ${(loop.max / 1e6).toFixed(1)}\n`,
      );
    await live.close();
  });
  await app.register(liveApi(live));
  await app.register(livePages(live));
  await app.register(liveConsole(live));
}

/** Demo: room DEMO on the first upcoming session with an open best-practice prompt, plus series-level prompts. */
export async function liveDemo(db: Kysely<Database>, ids: DemoIds): Promise<void> {
  const sessionId = ids.upcomingSessionIds.europe ?? Object.values(ids.upcomingSessionIds)[0];
  if (!sessionId) return;
  // The session got its room with a random code when the demo created it; DEMO is the code the README gives.
  const room = await findRoomBySession(db, sessionId);
  if (!room) throw new Error('demo: the session has no live room');
  await db.updateTable('live_room').set({ code: 'DEMO' }).where('id', '=', room.id).execute();
  const now = new Date().toISOString();
  const prompts: {
    type: string;
    kind: string | null;
    text: Record<string, string>;
    session: boolean;
    choices?: string;
  }[] = [
    {
      type: 'open_text',
      kind: 'best_practice',
      session: true,
      text: {
        en: 'Which practice in your library best helps new professionals grow into leadership?',
        fr: 'Quelle pratique de votre bibliothèque aide le mieux les jeunes professionnels à devenir des leaders ?',
        es: '¿Qué práctica de su biblioteca ayuda mejor a los nuevos profesionales a llegar al liderazgo?',
        de: 'Welche Praxis in Ihrer Bibliothek hilft Berufseinsteigenden am besten, in Führung hineinzuwachsen?',
        ar: 'ما الممارسة في مكتبتك التي تساعد المهنيين الجدد على النمو نحو القيادة؟',
        zh: '您的图书馆中，哪种做法最能帮助新馆员成长为领导者？',
        ru: 'Какая практика в вашей библиотеке лучше всего помогает молодым специалистам стать лидерами?',
      },
    },
    {
      type: 'open_text',
      kind: 'best_practice',
      session: false,
      text: {
        en: 'Share a best practice for diverse and inclusive leadership.',
        fr: 'Partagez une bonne pratique pour un leadership divers et inclusif.',
        es: 'Comparta una buena práctica de liderazgo diverso e inclusivo.',
        de: 'Teilen Sie eine bewährte Praxis für vielfältige und inklusive Führung.',
        ar: 'شارك ممارسة جيدة للقيادة المتنوعة والشاملة.',
        zh: '请分享一项多元包容领导力的最佳实践。',
        ru: 'Поделитесь лучшей практикой разнообразного и инклюзивного лидерства.',
      },
    },
    {
      type: 'open_text',
      kind: 'recommendation',
      session: false,
      text: {
        en: 'What do you recommend to associations that want to support new leaders?',
        fr: 'Que recommandez-vous aux associations qui veulent soutenir de nouveaux leaders ?',
        es: '¿Qué recomienda a las asociaciones que quieren apoyar a nuevos líderes?',
        de: 'Was empfehlen Sie Verbänden, die neue Führungskräfte unterstützen wollen?',
        ar: 'بماذا توصي الجمعيات التي تريد دعم القادة الجدد؟',
        zh: '对于希望支持新领导者的协会，您有什么建议？',
        ru: 'Что вы посоветуете ассоциациям, которые хотят поддержать новых лидеров?',
      },
    },
    {
      type: 'open_text',
      kind: 'need',
      session: false,
      text: {
        en: 'What do you need most to grow as a leader?',
        fr: 'De quoi avez-vous le plus besoin pour progresser en tant que leader ?',
        es: '¿Qué necesita más para crecer como líder?',
        de: 'Was brauchen Sie am meisten, um als Führungskraft zu wachsen?',
        ar: 'ما أكثر ما تحتاجه لتنمو كقائد؟',
        zh: '作为领导者成长，您最需要什么？',
        ru: 'Что вам больше всего нужно, чтобы расти как лидеру?',
      },
    },
    {
      type: 'poll',
      kind: null,
      session: true,
      text: {
        en: 'Where are you in your career?',
        fr: 'Où en êtes-vous dans votre carrière ?',
        es: '¿En qué etapa de su carrera está?',
        de: 'Wo stehen Sie in Ihrer Laufbahn?',
        ar: 'في أي مرحلة من مسيرتك المهنية أنت؟',
        zh: '您处于职业生涯的哪个阶段？',
        ru: 'На каком этапе карьеры вы находитесь?',
      },
      choices: JSON.stringify([
        {
          id: 'new',
          text: {
            en: 'New professional',
            fr: 'Jeune professionnel',
            es: 'Nuevo profesional',
            de: 'Berufseinstieg',
            ar: 'مهني جديد',
            zh: '新馆员',
            ru: 'Молодой специалист',
          },
        },
        {
          id: 'mid',
          text: {
            en: 'Mid-career',
            fr: 'Milieu de carrière',
            es: 'Mitad de carrera',
            de: 'Mitte der Laufbahn',
            ar: 'منتصف المسيرة',
            zh: '职业中期',
            ru: 'Середина карьеры',
          },
        },
        {
          id: 'senior',
          text: {
            en: 'Senior',
            fr: 'Expérimenté',
            es: 'Sénior',
            de: 'Erfahren',
            ar: 'خبير',
            zh: '资深',
            ru: 'Опытный специалист',
          },
        },
      ]),
    },
  ];
  let first = '';
  for (const [i, p] of prompts.entries()) {
    const id = newId();
    if (!first) first = id;
    await db
      .insertInto('live_prompt')
      .values({
        id,
        series_id: ids.upcomingSeriesId,
        session_id: p.session ? sessionId : null,
        type: p.type,
        kind: p.kind,
        text: JSON.stringify(p.text),
        choices: p.choices ?? '[]',
        settings: '{}',
        position: i + 1,
        created_at: now,
      })
      .execute();
  }
  await db
    .insertInto('live_room_prompt')
    .values({ room_id: room.id, prompt_id: first, position: 1, status: 'open', revealed: 0, opened_at: now })
    .execute();
  await db.updateTable('live_room').set({ current_prompt_id: first }).where('id', '=', room.id).execute();
}
