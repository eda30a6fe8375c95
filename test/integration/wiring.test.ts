import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.ts';
import { eraseEmail, exportData, register } from '../../src/modules/registration/index.ts';
import { refreshFromLive } from '../../src/modules/workbench/index.ts';
import type { Running } from '../../src/server/index.ts';
import { DIALECT } from '../support/db.ts';
import { makeSeries, makeSession, unique } from '../support/factories.ts';
import { testServer } from '../support/server.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => srv.close());

/** A registered attendee who answered in the session's live room through their registration link. */
async function attendeeWhoAnswered() {
  const db = srv.ctx.db;
  const s = await makeSeries(db);
  const sessionId = await makeSession(db, s, { regionKey: 'europe', daysAhead: 3 });
  const email = `${unique('att')}@example.org`;
  const reg = await register(db, s.id, {
    name: 'Amina',
    email,
    country: 'NG',
    affiliation: '',
    answers: { career_stage: 'new' },
    language: 'en',
    sessionIds: [sessionId],
    consent: true,
    newsOptIn: false,
  });
  // The session's live room (and its join code) came with it.
  const { code } = await db
    .selectFrom('live_room')
    .select('code')
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow();
  return { s, sessionId, email, token: reg.token, registrationId: reg.registrations[0].id, code };
}

describe(`modules working together (${DIALECT})`, () => {
  it('sends the join link of an e-mail to the session’s live room', async () => {
    const a = await attendeeWhoAnswered();
    const res = await srv.app.inject({ method: 'GET', url: `/sessions/${a.sessionId}/join?lang=fr` });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`/j/${a.code}?lang=fr`);
  });

  it('brings registration attributes into the live room through ?reg=TOKEN', async () => {
    const a = await attendeeWhoAnswered();
    const res = await srv.app.inject({ method: 'GET', url: `/j/${a.code}?reg=${a.token}` });
    expect(res.statusCode).toBeLessThan(400);
    const cookie = res.cookies.find((c) => c.name === 'colloquy_p');
    expect(cookie).toBeTruthy();
    // The participant is created when the attendee first answers or joins; look it up by registration.
    const p = await srv.ctx.db
      .selectFrom('live_participant')
      .selectAll()
      .where('registration_id', '=', a.registrationId)
      .executeTakeFirst();
    expect(p?.attributes).toContain('NG');
  });

  it('exports and erases an attendee’s live answers along with their registration', async () => {
    const a = await attendeeWhoAnswered();
    const db = srv.ctx.db;
    const room = await db
      .selectFrom('live_room')
      .selectAll()
      .where('code', '=', a.code)
      .executeTakeFirstOrThrow();
    const pid = newId();
    await db
      .insertInto('live_participant')
      .values({
        id: pid,
        room_id: room.id,
        key_hash: unique('k'),
        registration_id: a.registrationId,
        attributes: '{"career_stage":"new"}',
        language: 'en',
        created_at: new Date().toISOString(),
      })
      .execute();
    const promptId = newId();
    await db
      .insertInto('live_prompt')
      .values({
        id: promptId,
        series_id: a.s.id,
        session_id: a.sessionId,
        type: 'open_text',
        kind: 'need',
        text: '{"en":"What do you need?"}',
        choices: '[]',
        settings: '{}',
        position: 0,
        created_at: new Date().toISOString(),
      })
      .execute();
    await db
      .insertInto('live_response')
      .values({
        id: newId(),
        prompt_id: promptId,
        room_id: room.id,
        session_id: a.sessionId,
        participant_id: pid,
        client_key: unique('c'),
        vote_key: null,
        text: 'Leadership training in my language',
        choices: null,
        value: null,
        language: 'en',
        status: 'visible',
        pinned: 0,
        answered: 0,
        upvotes: 0,
        created_at: new Date().toISOString(),
      })
      .execute();

    const exported = (await exportData(db, a.token)) as { liveAnswers?: { text: string }[] };
    expect(exported.liveAnswers?.map((x) => x.text)).toEqual(['Leadership training in my language']);

    // The workbench has copied the answer, with the registration's career stage.
    expect(await refreshFromLive(db, a.s.id)).toBe(1);
    const copy = await db
      .selectFrom('wb_item')
      .selectAll()
      .where('series_id', '=', a.s.id)
      .executeTakeFirstOrThrow();
    expect(copy.text).toBe('Leadership training in my language');

    await eraseEmail(db, a.email, 'delete');
    expect(await db.selectFrom('wb_item').select('id').where('series_id', '=', a.s.id).execute()).toEqual([]);
    expect(
      await db.selectFrom('live_response').select('id').where('participant_id', '=', pid).execute(),
    ).toEqual([]);
    const p = await db
      .selectFrom('live_participant')
      .selectAll()
      .where('id', '=', pid)
      .executeTakeFirstOrThrow();
    expect(p.registration_id).toBeNull();
    expect(p.attributes).toBe('{}');
  });
});
