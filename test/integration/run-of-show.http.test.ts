import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { liveLinksOf } from '../../src/modules/live/index.ts';
import { grant, makeAccount, makeSeries, makeSession } from '../support/factories.ts';
import { login, testServer, type Client } from '../support/server.ts';
import { DIALECT } from '../support/db.ts';

const ANON_CSRF = 'colloquy_csrf';

interface StateBody {
  roomId: string;
  code: string;
  currentPromptId: string | null;
  prompts: {
    id: string;
    status: string;
    text: Record<string, string>;
    choices: { id: string; text: Record<string, string> }[];
    settings: Record<string, unknown>;
  }[];
}

let srv: Running;
let host: Client;
let room: StateBody;
let sessionId: string;
let otherSession: string;

beforeAll(async () => {
  srv = await testServer();
  const db = srv.ctx.db;
  const series = await makeSeries(db);
  sessionId = await makeSession(db, series);
  otherSession = await makeSession(db, series, { regionKey: 'asia_oceania' });
  const acc = await grant(db, await makeAccount(db), series.id, 'facilitator');
  host = await login(srv, acc.email);
  room = (await host.request('GET', `/api/sessions/${sessionId}/live`)).json<StateBody>();
});
afterAll(async () => {
  await srv?.close();
});

/** Posts the live room's form as the page's script does (fetch) or as a browser without it. */
const consoleForm = (fields: Record<string, string>, script = true) =>
  srv.app.inject({
    method: 'POST',
    url: `/console/live/${room.roomId}`,
    headers: {
      cookie: host.cookie,
      'content-type': 'application/x-www-form-urlencoded',
      ...(script ? { 'x-requested-with': 'fetch', accept: 'application/json' } : { accept: 'text/html' }),
    },
    payload: new URLSearchParams({ _csrf: host.csrf, ...fields }).toString(),
  });

describe(`run of show over HTTP (${DIALECT})`, () => {
  it('adds a prompt with texts, choices and scale labels per language, falling back to the source language', async () => {
    const created = await consoleForm({
      op: 'create',
      type: 'poll',
      text_es: '¿Qué formato prefiere?',
      text_en: 'Which format do you prefer?',
      choices_es: 'Talleres\nGrupos de lectura',
      choices_en: 'Workshops\nReading groups',
    });
    expect(created.statusCode).toBe(200);
    const state = created.json<{ state: StateBody }>().state;
    const poll = state.prompts.at(-1)!;
    expect(Object.keys(poll.text)[0]).toBe('es'); // the first language of the form is the source
    expect(poll.choices.map((c) => c.text)).toEqual([
      { es: 'Talleres', en: 'Workshops' },
      { es: 'Grupos de lectura', en: 'Reading groups' },
    ]);
    const scale = (
      await consoleForm({
        op: 'create',
        type: 'scale',
        text_ar: 'ما مدى استعدادك؟',
        min: '1',
        max: '4',
        minLabel_ar: 'غير مستعد',
        maxLabel_ar: 'مستعد تمامًا',
        minLabel_fr: 'Pas prêt',
      })
    )
      .json<{ state: StateBody }>()
      .state.prompts.at(-1)!;
    expect(scale.settings).toMatchObject({ min: 1, max: 4, minLabel: { ar: 'غير مستعد', fr: 'Pas prêt' } });

    await consoleForm({ op: 'current', promptId: poll.id });
    await consoleForm({ op: 'open', promptId: scale.id });
    // A French reader gets the source (Spanish) where no French text exists; Arabic gets Arabic.
    const fr = await srv.app.inject({ url: `/j/${room.code}?lang=fr` });
    expect(fr.body).toContain('¿Qué formato prefiere?');
    expect(fr.body).toContain('Talleres');
    expect(fr.body).toContain('Pas prêt');
    const ar = await srv.app.inject({ url: `/j/${room.code}?lang=ar` });
    expect(ar.body).toContain('ما مدى استعدادك؟');
    expect(ar.body).toContain('مستعد تمامًا');
    expect(ar.body).not.toContain('Fully');
  });

  it('refuses choices that do not line up across languages and names the field', async () => {
    const res = await consoleForm({
      op: 'create',
      type: 'poll',
      text_en: 'Pick one',
      choices_en: 'A\nB\nC',
      choices_fr: 'A\nB',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json<{ error: { code: string; field: string } }>().error).toMatchObject({
      code: 'choices_mismatch',
      field: 'choices_fr',
    });
  });

  it('without a script, shows every wrong field of the prompt form at once and keeps what was typed', async () => {
    const res = await consoleForm(
      {
        op: 'create',
        type: 'scale',
        text_en: '',
        choices_en: 'One\nTwo',
        choices_fr: 'Un',
        min: '4',
        max: '2',
        maxLabel_en: 'Kept label',
      },
      false,
    );
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toContain('text/html');
    const summary = /<div class="alert" role="alert"[\s\S]*?<\/div>/.exec(res.body)?.[0] ?? '';
    expect(summary).toContain('href="#f-text_en"');
    expect(summary).toContain('href="#f-choices_fr"');
    expect(summary).toContain('href="#f-max"');
    expect(res.body).toMatch(/id="f-text_en"[^>]*aria-invalid="true"/);
    expect(res.body).toMatch(/id="f-choices_fr"[^>]*aria-invalid="true"/);
    expect(res.body).toContain('value="Kept label"');
    expect(res.body).toMatch(/<details class="card" id="add-prompt"\s+open/);
    // In French the messages are French.
    const fr = await srv.app.inject({
      method: 'POST',
      url: `/console/live/${room.roomId}?lang=fr`,
      headers: {
        cookie: host.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      },
      payload: new URLSearchParams({ _csrf: host.csrf, op: 'create', type: 'poll', text_en: '' }).toString(),
    });
    expect(fr.body).toContain('Écrivez la question dans au moins une langue.');
    const saved = await consoleForm({ op: 'blocked', words: 'nonsense' }, false);
    expect(saved.headers.location).toBe(`/console/sessions/${sessionId}/live?saved=blocked`);
    const after = await srv.app.inject({
      url: String(saved.headers.location),
      headers: { cookie: host.cookie },
    });
    expect(after.body).toContain('The blocked words were saved.');
  });

  it('titles the facilitator page in the facilitator’s language', async () => {
    for (const [lang, start] of [
      ['ar', 'محادثة مباشرة: '],
      ['fr', 'Conversation en direct : '],
      ['en', 'Live conversation: '],
    ]) {
      const res = await host.request('GET', `/console/sessions/${sessionId}/live?lang=${lang}`);
      expect(res.statusCode).toBe(200);
      expect(/<title>([^<]*)<\/title>/.exec(res.body)?.[1]).toMatch(new RegExp(`^${start}`));
    }
  });

  it('answers a script with the new state at once, and a browser without one with a redirect', async () => {
    const before = (await host.request('GET', `/api/sessions/${sessionId}/live`)).json<StateBody>();
    const target = before.prompts[0].id;
    const res = await consoleForm({ op: 'current', promptId: target });
    expect(res.json<{ state: StateBody }>().state.currentPromptId).toBe(target);
    const next = await consoleForm({ op: 'next' }, false);
    expect(next.statusCode).toBe(303);
    expect(next.headers.location).toBe(`/console/sessions/${sessionId}/live`); // nothing to confirm
    const after = (await host.request('GET', `/api/sessions/${sessionId}/live`)).json<StateBody>();
    expect(after.currentPromptId).toBe(before.prompts[1].id);
    expect(after.prompts[0].status).toBe('closed');
  });

  it('steps through the run of show over the JSON API too', async () => {
    const before = (await host.request('GET', `/api/sessions/${sessionId}/live`)).json<StateBody>();
    const [first, second] = before.prompts;
    const cur = await host.request('POST', `/api/live/rooms/${room.roomId}/prompts/${second.id}/actions`, {
      action: 'current',
    });
    expect(cur.json<StateBody>().currentPromptId).toBe(second.id);
    const back = await host.request('POST', `/api/live/rooms/${room.roomId}/previous`);
    expect(back.statusCode).toBe(200);
    expect(back.json<StateBody>().currentPromptId).toBe(first.id);
    const edge = await host.request('POST', `/api/live/rooms/${room.roomId}/previous`);
    expect(edge.json<StateBody>().currentPromptId).toBe(first.id);
    const anon = await srv.app.inject({ method: 'POST', url: `/api/live/rooms/${room.roomId}/previous` });
    expect(anon.statusCode).toBe(401);
  });

  it('tells a person voting a second time without JavaScript that they already voted, and shows the vote', async () => {
    const state = (await host.request('GET', `/api/sessions/${sessionId}/live`)).json<StateBody>();
    const poll = state.prompts.find((p) => p.choices.length === 2 && p.text.es)!;
    await consoleForm({ op: 'current', promptId: poll.id });
    const csrf = 'anonymous-form-token-0123456789';
    const cookie = `colloquy_p=no-script-participant-0123456789; ${ANON_CSRF}=${csrf}`;
    const vote = (choice: string, clientKey: string) =>
      srv.app.inject({
        method: 'POST',
        url: `/j/${room.code}/answer`,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: csrf,
          promptId: poll.id,
          clientKey,
          choice,
          language: 'es',
        }).toString(),
      });
    const first = await vote(poll.choices[0].id, 'first-vote');
    expect(first.headers.location).toContain('thanks=1');
    const second = await vote(poll.choices[1].id, 'second-vote');
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toContain('error=already_answered');
    const page = await srv.app.inject({ url: String(second.headers.location), headers: { cookie } });
    expect(page.body).toContain('Ya ha votado en esta pregunta');
    expect(page.body).not.toContain('no se pudo guardar');
    expect(page.body).toMatch(/Su voto: <b dir="auto">Talleres<\/b>/);
    const stored = await srv.ctx.db
      .selectFrom('live_response')
      .select('choices')
      .where('prompt_id', '=', poll.id)
      .execute();
    expect(stored).toEqual([{ choices: JSON.stringify([poll.choices[0].id]) }]);
  });

  it('gives the console the live links of sessions, and the QR code of the attendee link', async () => {
    const links = await liveLinksOf(srv.ctx.db, srv.ctx.config.publicUrl, [sessionId, otherSession]);
    expect(links.get(sessionId)).toEqual({
      liveRoom: `/console/sessions/${sessionId}/live`,
      presenter: `/present/${room.code}`,
      attendee: `${srv.ctx.config.publicUrl.replace(/\/+$/, '')}/j/${room.code}`,
      qr: `/j/${room.code}/qr.svg`,
    });
    // The other session has its own room and code from the start.
    expect(links.get(otherSession)?.presenter).toMatch(/^\/present\/[A-HJ-NP-Z2-9]{6}$/);
    expect(links.get(otherSession)?.presenter).not.toBe(links.get(sessionId)?.presenter);
    expect(
      (await liveLinksOf(srv.ctx.db, srv.ctx.config.publicUrl, [])).size,
      'no session, no query and no links',
    ).toBe(0);
    const qr = await srv.app.inject({ url: links.get(sessionId)!.qr });
    expect(qr.statusCode).toBe(200);
    expect(qr.headers['content-type']).toContain('image/svg+xml');
    expect(qr.body).toMatch(/^<svg/);
    expect((await srv.app.inject({ url: '/j/NOPE99/qr.svg' })).statusCode).toBe(404);
  });
});
