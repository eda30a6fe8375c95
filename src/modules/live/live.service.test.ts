import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.ts';
import { makeAccount, grant, makeSeries, makeSession } from '../../../test/support/factories.ts';
import { DIALECT, testDb } from '../../../test/support/db.ts';
import { memoryBus } from './live.bus.ts';
import { LiveRuntime } from './live.runtime.ts';
import * as repo from './live.repository.ts';
import { resultsOf } from './live.results.ts';
import * as svc from './live.service.ts';
import { deleteSession, sessionsOf } from '../series/index.ts';

let h: DbHandle;
let live: LiveRuntime;
beforeAll(async () => {
  h = await testDb();
  // On SQLite this exercises the worker-thread group commit, as in production.
  live = new LiveRuntime(h.db, memoryBus(), h.sqlite?.name);
});
afterAll(async () => {
  await live.close();
  await h.close();
});

async function setup() {
  const series = await makeSeries(h.db);
  const session = await makeSession(h.db, series);
  const host = await grant(h.db, await makeAccount(h.db), series.id, 'facilitator');
  const room = await svc.roomOfSession(h.db, host, session);
  return { series, session, host, room };
}

async function participant(roomId: string, key = `participant-key-${Math.random().toString(36).slice(2)}`) {
  return (await svc.participantFor(h.db, roomId, key, 'en')).id;
}

describe(`live conversations (${DIALECT})`, () => {
  it('gives each session exactly one room, with a short unambiguous code of its own, from the moment the session exists', async () => {
    const series = await makeSeries(h.db);
    const a = await makeSession(h.db, series);
    const b = await makeSession(h.db, series, { regionKey: 'asia_oceania' });
    const rooms = await h.db.selectFrom('live_room').selectAll().where('session_id', 'in', [a, b]).execute();
    expect(rooms.map((r) => r.session_id).sort()).toEqual([a, b].sort());
    for (const r of rooms) {
      expect(r.code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
      expect(r).toMatchObject({ series_id: series.id, state: 'open', current_prompt_id: null });
    }
    expect(rooms[0].code).not.toBe(rooms[1].code);
    const host = await grant(h.db, await makeAccount(h.db), series.id, 'facilitator');
    const roomOfA = rooms.find((r) => r.session_id === a)!;
    expect(await svc.roomOfSession(h.db, host, a)).toEqual(roomOfA);
    expect(await repo.findRoomByCode(h.db, roomOfA.code.toLowerCase())).toEqual(roomOfA);
  });

  it('makes the room in the session’s transaction: they commit or roll back together', async () => {
    const series = await makeSeries(h.db);
    let id = '';
    await expect(
      h.db.transaction().execute(async (trx) => {
        id = await makeSession(trx, series);
        expect(await repo.findRoomBySession(trx, id)).toBeDefined();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await sessionsOf(h.db, series.id)).toEqual([]);
    expect(await repo.findRoomBySession(h.db, id)).toBeUndefined();
  });

  it('answers 404 live_room_missing for a session without a room (which a migration leaves none of)', async () => {
    const { host, session, room } = await setup();
    await h.db.deleteFrom('live_room').where('id', '=', room.id).execute();
    await expect(svc.roomOfSession(h.db, host, session)).rejects.toMatchObject({
      status: 404,
      code: 'live_room_missing',
    });
  });

  it('removes a deleted session’s room with its prompts and answers, as before', async () => {
    const { series, session, host, room } = await setup();
    const promptId = await svc.createPrompt(h.db, host, room, { type: 'qa', text: { en: 'Questions?' } });
    await svc.promptAction(h.db, host, room, promptId, 'open');
    await deleteSession(h.db, series.admin, session);
    expect(await repo.findRoomById(h.db, room.id)).toBeUndefined();
    expect(await repo.findPrompt(h.db, promptId)).toBeUndefined();
  });

  it('refuses a presenter who is not a facilitator', async () => {
    const { series, session } = await setup();
    const presenter = await grant(h.db, await makeAccount(h.db), series.id, 'presenter');
    await expect(svc.roomOfSession(h.db, presenter, session)).rejects.toMatchObject({ status: 403 });
  });

  it('reuses series-level prompts in every session of the series', async () => {
    const { series, host, room } = await setup();
    await svc.createPrompt(h.db, host, room, {
      type: 'open_text',
      kind: 'need',
      text: { en: 'What do you need?' },
      seriesLevel: true,
    });
    const other = await svc.roomOfSession(
      h.db,
      host,
      await makeSession(h.db, series, { regionKey: 'asia_oceania' }),
    );
    const prompts = await repo.roomPrompts(h.db, other);
    expect(prompts.map((p) => p.text.en)).toContain('What do you need?');
    expect(prompts[0].seriesLevel).toBe(true);
  });

  it('accepts a custom kind only once it is defined on the series', async () => {
    const { series, host, room } = await setup();
    await expect(
      svc.createPrompt(h.db, host, room, { type: 'open_text', kind: 'barrier', text: { en: 'Barriers?' } }),
    ).rejects.toMatchObject({ code: 'unknown_kind' });
    await svc.addKind(h.db, host, series.id, 'barrier', { en: 'Barrier', fr: 'Obstacle' });
    expect(
      await svc.createPrompt(h.db, host, room, {
        type: 'open_text',
        kind: 'barrier',
        text: { en: 'Barriers?' },
      }),
    ).toBeTruthy();
  });

  it('records an answer once even when it is sent twice, and refuses a closed prompt', async () => {
    const { host, room } = await setup();
    const pid = await svc.createPrompt(h.db, host, room, {
      type: 'open_text',
      kind: 'best_practice',
      text: { en: 'Best practice?' },
    });
    const p = await participant(room.id);
    await svc.promptAction(h.db, host, room, pid, 'open');
    await live.changed(room.id);
    const { row, prompts } = await live.room(room.code);
    const first = await live.submit(
      row,
      prompts,
      p,
      { promptId: pid, clientKey: 'same', text: 'Mentoring' },
      'en',
    );
    const again = await live.submit(
      row,
      prompts,
      p,
      { promptId: pid, clientKey: 'same', text: 'Mentoring' },
      'en',
    );
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ id: first.id, duplicate: true });
    await svc.promptAction(h.db, host, room, pid, 'close');
    await live.changed(room.id);
    const after = await live.room(room.code);
    await expect(
      live.submit(after.row, after.prompts, p, { promptId: pid, clientKey: 'new', text: 'Coaching' }, 'en'),
    ).rejects.toMatchObject({ status: 409, code: 'prompt_closed' });
    // A resend of an acknowledged answer after the close is still just a duplicate.
    expect(
      await live.submit(
        after.row,
        after.prompts,
        p,
        { promptId: pid, clientKey: 'same', text: 'Mentoring' },
        'en',
      ),
    ).toMatchObject({ id: first.id, duplicate: true });
    expect((await repo.responsesOf(h.db, room.id, pid)).length).toBe(1);
  });

  it('commits 300 concurrent answers in groups and acknowledges each exactly once', async () => {
    const { host, room } = await setup();
    const pid = await svc.createPrompt(h.db, host, room, {
      type: 'open_text',
      kind: 'need',
      text: { en: 'Needs?' },
    });
    await svc.promptAction(h.db, host, room, pid, 'open');
    await live.changed(room.id);
    const { row, prompts } = await live.room(room.code);
    const people = await Promise.all(Array.from({ length: 30 }, () => participant(room.id)));
    const sends = Array.from({ length: 300 }, (_, i) =>
      live
        .submit(
          row,
          prompts,
          people[i % 30],
          { promptId: pid, clientKey: `k${i % 250}`, text: `answer ${i % 250}` },
          'en',
        )
        .catch((e: Error) => e),
    );
    const results = await Promise.all(sends);
    const ok = results.filter((r) => !(r instanceof Error)) as { id: string; duplicate: boolean }[];
    const rows = await repo.responsesOf(h.db, room.id, pid);
    // 250 distinct client keys; resends by the same participant are duplicates, by another one a conflict.
    expect(rows.length).toBe(250);
    expect(new Set(ok.filter((r) => !r.duplicate).map((r) => r.id)).size).toBe(250);
    for (const r of ok) expect(rows.some((x) => x.id === r.id)).toBe(true);
  });

  it('lets each participant vote once in a poll and counts the votes', async () => {
    const { host, room } = await setup();
    const pid = await svc.createPrompt(h.db, host, room, {
      type: 'poll',
      text: { en: 'Career stage?' },
      choices: [
        { id: 'new', text: { en: 'New' } },
        { id: 'senior', text: { en: 'Senior' } },
      ],
    });
    await svc.promptAction(h.db, host, room, pid, 'open');
    await live.changed(room.id);
    const { row, prompts } = await live.room(room.code);
    const a = await participant(room.id);
    const b = await participant(room.id);
    await live.submit(row, prompts, a, { promptId: pid, clientKey: 'a1', choice: 'new' }, 'en');
    await live.submit(row, prompts, b, { promptId: pid, clientKey: 'b1', choice: 'senior' }, 'en');
    await expect(
      live.submit(row, prompts, a, { promptId: pid, clientKey: 'a2', choice: 'senior' }, 'en'),
    ).rejects.toMatchObject({ status: 409, code: 'already_answered' });
    await expect(
      live.submit(row, prompts, b, { promptId: pid, clientKey: 'b2', choice: 'nope' }, 'en'),
    ).rejects.toMatchObject({ status: 422 });
    const p = prompts.find((x) => x.id === pid)!;
    const res = resultsOf(p, (await repo.responsesOf(h.db, room.id, pid)).map(repo.answerOut));
    expect(res).toMatchObject({
      total: 2,
      choices: [
        { id: 'new', count: 1 },
        { id: 'senior', count: 1 },
      ],
    });
  });

  it('holds answers with blocked words and, with pre-moderation on, every text answer', async () => {
    const { series, host, room } = await setup();
    await svc.setBlockedWords(h.db, host, series.id, ['Dummkopf', '笨蛋']);
    const pid = await svc.createPrompt(h.db, host, room, {
      type: 'open_text',
      kind: 'need',
      text: { en: 'Needs?' },
    });
    await svc.promptAction(h.db, host, room, pid, 'open');
    await live.changed(room.id);
    let { row, prompts } = await live.room(room.code);
    const p = await participant(room.id);
    expect(
      (await live.submit(row, prompts, p, { promptId: pid, clientKey: 'x1', text: 'Der DÜMMKOPF!' }, 'de'))
        .status,
    ).toBe('held'); // accents and case are ignored
    expect(
      (await live.submit(row, prompts, p, { promptId: pid, clientKey: 'x2', text: 'Dummköpfe? Nein.' }, 'de'))
        .status,
    ).toBe('visible'); // a longer word is not the blocked word
    expect(
      (await live.submit(row, prompts, p, { promptId: pid, clientKey: 'x3', text: '他是笨蛋' }, 'zh')).status,
    ).toBe('held');
    expect(
      (await live.submit(row, prompts, p, { promptId: pid, clientKey: 'x4', text: 'More training' }, 'en'))
        .status,
    ).toBe('visible');
    await svc.setPreModeration(h.db, host, room, true);
    await live.changed(room.id);
    ({ row, prompts } = await live.room(room.code));
    const held = await live.submit(
      row,
      prompts,
      p,
      { promptId: pid, clientKey: 'x5', text: 'Mentoring' },
      'en',
    );
    expect(held.status).toBe('held');
    const approved = await svc.moderate(h.db, host, row, held.id, 'approve');
    expect(approved.status).toBe('visible');
    expect((await svc.moderate(h.db, host, row, held.id, 'pin')).pinned).toBe(true);
    expect((await svc.moderate(h.db, host, row, held.id, 'hide')).status).toBe('hidden');
  });

  it('moves to the next prompt and ranks questions by up-votes', async () => {
    const { host, room } = await setup();
    const q1 = await svc.createPrompt(h.db, host, room, {
      type: 'scale',
      text: { en: 'How useful?' },
      settings: { min: 1, max: 5 },
    });
    const q2 = await svc.createPrompt(h.db, host, room, {
      type: 'qa',
      text: { en: 'Questions for the panel' },
    });
    await svc.promptAction(h.db, host, room, q1, 'open');
    const fresh = (await repo.findRoomById(h.db, room.id))!;
    expect(await svc.nextPrompt(h.db, host, fresh)).toBe(q2);
    await live.changed(room.id);
    const { row, prompts } = await live.room(room.code);
    expect(prompts.find((p) => p.id === q1)!.status).toBe('closed');
    const [a, b, c] = [await participant(room.id), await participant(room.id), await participant(room.id)];
    const first = await live.submit(
      row,
      prompts,
      a,
      { promptId: q2, clientKey: 'q1', text: 'How do you fund mentoring?' },
      'en',
    );
    const second = await live.submit(
      row,
      prompts,
      b,
      { promptId: q2, clientKey: 'q2', text: 'What about rural libraries?' },
      'en',
    );
    await svc.upvote(h.db, row, b, second.id);
    await svc.upvote(h.db, row, c, second.id);
    expect((await svc.upvote(h.db, row, c, second.id)).upvotes).toBe(2); // once per participant
    const p = prompts.find((x) => x.id === q2)!;
    const res = resultsOf(p, (await repo.responsesOf(h.db, room.id, q2)).map(repo.answerOut));
    expect(res.questions!.map((q) => q.id)).toEqual([second.id, first.id]);
  });

  it('steps through the run of show like slides and never leaves the room without a current prompt', async () => {
    const { host, room } = await setup();
    const ids: string[] = [];
    for (const text of ['First topic', 'Second topic', 'Third topic'])
      ids.push(
        await svc.createPrompt(h.db, host, room, { type: 'open_text', kind: 'need', text: { en: text } }),
      );
    const state = async () => {
      const r = (await repo.findRoomById(h.db, room.id))!;
      const prompts = await repo.roomPrompts(h.db, r);
      return { current: r.current_prompt_id, status: prompts.map((p) => p.status) };
    };
    // Start: Next without a current prompt opens the first one.
    expect(await svc.stepPrompt(h.db, host, room, 1)).toBe(ids[0]);
    expect(await state()).toEqual({ current: ids[0], status: ['open', 'draft', 'draft'] });
    expect(await svc.stepPrompt(h.db, host, room, 1)).toBe(ids[1]);
    expect(await state()).toEqual({ current: ids[1], status: ['closed', 'open', 'draft'] });
    expect(await svc.stepPrompt(h.db, host, room, -1)).toBe(ids[0]);
    expect(await state()).toEqual({ current: ids[0], status: ['open', 'closed', 'draft'] });
    // Everything open, the last one current: Next keeps it current instead of leaving none.
    for (const id of ids) await svc.promptAction(h.db, host, room, id, 'open');
    expect(await svc.stepPrompt(h.db, host, room, 1)).toBe(ids[2]);
    expect(await state()).toEqual({ current: ids[2], status: ['open', 'open', 'open'] });
    // "Make current" on an open prompt moves the screens there and keeps the others open.
    await svc.makeCurrent(h.db, host, room, ids[1]);
    expect(await state()).toEqual({ current: ids[1], status: ['open', 'open', 'open'] });
    expect(await svc.stepPrompt(h.db, host, room, 1)).toBe(ids[2]);
    expect(await state()).toEqual({ current: ids[2], status: ['open', 'closed', 'open'] });
    // Removing the current prompt clears it rather than pointing at nothing.
    await svc.deletePrompt(h.db, host, room, ids[2]);
    expect((await state()).current).toBeNull();
  });

  it('refuses to make current a prompt of another session', async () => {
    const a = await setup();
    const b = await setup();
    const other = await svc.createPrompt(h.db, b.host, b.room, { type: 'qa', text: { en: 'Elsewhere' } });
    await expect(svc.makeCurrent(h.db, a.host, a.room, other)).rejects.toMatchObject({ status: 404 });
    await expect(svc.makeCurrent(h.db, b.host, a.room, other)).rejects.toMatchObject({ status: 403 });
    const sameSeries = await svc.roomOfSession(
      h.db,
      a.host,
      await makeSession(h.db, a.series, { regionKey: 'europe' }),
    );
    const mine = await svc.createPrompt(h.db, a.host, sameSeries, {
      type: 'qa',
      text: { en: 'Other session' },
    });
    await expect(svc.makeCurrent(h.db, a.host, a.room, mine)).rejects.toMatchObject({
      status: 404,
      code: 'prompt_not_found',
    });
  });
});
