import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { grant, makeAccount, makeSeries, makeSession } from '../support/factories.ts';
import { login, testServer, type Client } from '../support/server.ts';

interface ErrBody {
  error: { code: string; message: string; field?: string };
}
interface StateBody {
  roomId: string;
  code: string;
  prompts: { id: string }[];
}

let srv: Running;
let host: Client;
let roomId: string;
let code: string;
let textPrompt: string;
let pollPrompt: string;
const PKEY = 'attendee-key-0123456789abcdef';

async function ensureBuilt() {
  if (existsSync('web/dist/attendee.js')) return;
  const { build } = await import('vite');
  await build({ configFile: 'web/vite.config.ts', logLevel: 'warn' });
}

beforeAll(async () => {
  await ensureBuilt();
  process.env.LIVE_PARTICIPANT_BURST = '5';
  process.env.LIVE_PARTICIPANT_RATE = '1';
  srv = await testServer();
  const db = srv.ctx.db;
  const series = await makeSeries(db);
  const session = await makeSession(db, series);
  const acc = await grant(db, await makeAccount(db), series.id, 'facilitator');
  host = await login(srv, acc.email);
  const room = (await host.request('GET', `/api/sessions/${session}/live`)).json<StateBody>();
  roomId = room.roomId;
  code = room.code;
  let res = await host.request('POST', `/api/live/rooms/${roomId}/prompts`, {
    type: 'open_text',
    kind: 'best_practice',
    text: { en: 'Best practice?', ar: 'ما أفضل ممارسة؟' },
  });
  expect(res.statusCode).toBe(201);
  textPrompt = res.json<StateBody>().prompts.at(-1)!.id;
  res = await host.request('POST', `/api/live/rooms/${roomId}/prompts`, {
    type: 'poll',
    text: { en: 'Stage?' },
    choices: [{ text: { en: 'New' } }, { text: { en: 'Senior' } }],
  });
  pollPrompt = res.json<StateBody>().prompts.at(-1)!.id;
  expect(
    (
      await host.request('POST', `/api/live/rooms/${roomId}/prompts/${textPrompt}/actions`, {
        action: 'open',
      })
    ).statusCode,
  ).toBe(200);
});
afterAll(async () => {
  await srv?.close();
});

const answer = (body: object, key = PKEY) =>
  srv.app.inject({
    method: 'POST',
    url: `/api/rooms/${code}/responses`,
    headers: { 'x-participant-key': key },
    payload: body,
  });

describe('live conversations over HTTP', () => {
  it('shows the open prompt of a room by its code, and 404 for an unknown code', async () => {
    const res = await srv.app.inject({ url: `/api/rooms/${code}` });
    expect(res.statusCode).toBe(200);
    expect(res.json<StateBody>().prompts.map((p) => p.id)).toEqual([textPrompt]);
    expect((await srv.app.inject({ url: '/api/rooms/NOPE42' })).json<ErrBody>().error.code).toBe(
      'room_not_found',
    );
  });

  it('acknowledges an answer with 201, and the same client key again with 200 and the same id', async () => {
    const first = await answer({ promptId: textPrompt, clientKey: 'c-1', text: 'Mentoring circles' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ duplicate: false });
    const again = await answer({ promptId: textPrompt, clientKey: 'c-1', text: 'Mentoring circles' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ id: first.json<{ id: string }>().id, duplicate: true });
  });

  it('refuses answers to a prompt that is not open with 409', async () => {
    const res = await answer(
      { promptId: pollPrompt, clientKey: 'c-2', choice: 'c1' },
      'other-key-0123456789abcdef',
    );
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrBody>().error.code).toBe('prompt_closed');
  });

  it('refuses an answer over 1,000 characters with 413 and a code', async () => {
    const res = await answer(
      { promptId: textPrompt, clientKey: 'c-3', text: 'x'.repeat(1001) },
      'long-key-0123456789abcdef',
    );
    expect(res.statusCode).toBe(413);
    expect(res.json<ErrBody>().error).toMatchObject({ code: 'too_long', field: 'text' });
  });

  it('refuses malformed requests with 400 or 422 and says which field', async () => {
    const bad = await srv.app.inject({
      method: 'POST',
      url: `/api/rooms/${code}/responses`,
      headers: { 'content-type': 'application/json' },
      payload: '{"promptId":',
    });
    expect(bad.statusCode).toBe(400);
    const noKey = await answer({ promptId: textPrompt, text: 'x' });
    expect(noKey.statusCode).toBe(422);
    expect(noKey.json<ErrBody>().error.field).toBe('clientKey');
    const longKey = await answer({ promptId: textPrompt, clientKey: 'k'.repeat(65), text: 'x' });
    expect(longKey.statusCode).toBe(422);
    const empty = await answer(
      { promptId: textPrompt, clientKey: 'c-empty', text: '   ' },
      'empty-key-0123456789abcdef',
    );
    expect(empty.json<ErrBody>().error.code).toBe('required');
  });

  it('slows down one participant answering too fast with 429 and retry-after, not their neighbours', async () => {
    const key = 'fast-key-0123456789abcdef';
    const codes: number[] = [];
    for (let i = 0; i < 8; i++)
      codes.push(
        (await answer({ promptId: textPrompt, clientKey: `fast-${i}`, text: `idea ${i}` }, key)).statusCode,
      );
    expect(codes.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    const limited = await answer({ promptId: textPrompt, clientKey: 'fast-x', text: 'more' }, key);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(
      (await answer({ promptId: textPrompt, clientKey: 'calm-1', text: 'calm' }, 'calm-key-0123456789abcdef'))
        .statusCode,
    ).toBe(201);
  });

  it('lets many participants answer from one network address (≥ 1,000 a minute)', async () => {
    const sends = Array.from({ length: 1000 }, (_, i) =>
      answer(
        { promptId: textPrompt, clientKey: `many-${i}`, text: `answer ${i}` },
        `many-key-${i}-0123456789abcdef`,
      ),
    );
    const codes = (await Promise.all(sends)).map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201).length).toBe(1000);
  });

  it('returns results with counts once revealed, and only the total before', async () => {
    await host.request('POST', `/api/live/rooms/${roomId}/prompts/${pollPrompt}/actions`, { action: 'open' });
    for (let i = 0; i < 3; i++)
      expect(
        (
          await answer(
            { promptId: pollPrompt, clientKey: `v-${i}`, choice: i ? 'c2' : 'c1' },
            `voter-${i}-0123456789abcdef`,
          )
        ).statusCode,
      ).toBe(201);
    const hidden = (
      await srv.app.inject({ url: `/api/rooms/${code}/prompts/${pollPrompt}/results` })
    ).json<object>();
    expect(hidden).toEqual({ promptId: pollPrompt, type: 'poll', total: 3 });
    await host.request('POST', `/api/live/rooms/${roomId}/prompts/${pollPrompt}/actions`, {
      action: 'reveal',
    });
    const shown = (await srv.app.inject({ url: `/api/rooms/${code}/prompts/${pollPrompt}/results` })).json<{
      choices: object[];
    }>();
    expect(shown.choices).toEqual([
      { id: 'c1', count: 1 },
      { id: 'c2', count: 2 },
    ]);
  });

  it('keeps the attendee page within 30 KB compressed (HTML, CSS and scripts)', async () => {
    const res = await srv.app.inject({ url: `/j/${code}`, headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    const htmlBytes = res.rawPayload.length;
    const scripts = [
      'attendee.js',
      ...readFileSync('web/dist/attendee.js', 'utf8').match(/chunk-[\w-]+\.js/g)!,
    ];
    const jsBytes = scripts.reduce((n, f) => n + gzipSync(readFileSync(`web/dist/${f}`)).length, 0);
    expect(htmlBytes + jsBytes).toBeLessThanOrEqual(30 * 1024);
  });

  it('shows the page in Arabic, right to left, with a language picker', async () => {
    const res = await srv.app.inject({
      url: `/j/${code}`,
      headers: { 'accept-language': 'ar-EG,ar;q=0.9,en;q=0.5' },
    });
    expect(res.body).toContain('<html lang="ar" dir="rtl">');
    expect(res.body).toContain('ما أفضل ممارسة؟');
    expect(res.body).toContain('إرسال');
    const zh = await srv.app.inject({ url: `/j/${code}?lang=zh` });
    expect(zh.body).toContain('<html lang="zh" dir="ltr">');
    expect(zh.body).toContain('<select id="lang" name="lang">');
  });

  it('takes an answer from a plain HTML form and shows a thank-you', async () => {
    const page = await srv.app.inject({ url: `/j/${code}?lang=fr` });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const clientKey = /name="clientKey"\s+value="([^"]+)"/.exec(page.body)![1];
    const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const post = await srv.app.inject({
      method: 'POST',
      url: `/j/${code}/answer`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: csrf,
        promptId: textPrompt,
        clientKey,
        language: 'fr',
        text: 'Le tutorat',
      }).toString(),
    });
    expect(post.statusCode).toBe(303);
    expect(post.headers.location).toContain('thanks=1');
    const cookies = [cookie, ...post.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
    const back = await srv.app.inject({ url: post.headers.location as string, headers: { cookie: cookies } });
    expect(back.body).toContain('Merci, votre réponse a bien été reçue.');
    const q = (await host.request('GET', `/api/live/rooms/${roomId}/responses?promptId=${textPrompt}`)).json<{
      answers: { text: string }[];
    }>();
    expect(q.answers.filter((a) => a.text === 'Le tutorat')).toHaveLength(1);
  });

  it('lets only facilitators of the series run the room', async () => {
    const stranger = await login(srv, (await makeAccount(srv.ctx.db)).email);
    expect((await stranger.request('POST', `/api/live/rooms/${roomId}/next`)).statusCode).toBe(403);
    expect((await srv.app.inject({ method: 'POST', url: `/api/live/rooms/${roomId}/next` })).statusCode).toBe(
      401,
    );
    expect(
      (
        await stranger.request(
          'GET',
          `/console/sessions/${(await host.request('GET', `/api/rooms/${code}`)).json<{ session: { id: string } }>().session.id}/live`,
        )
      ).statusCode,
    ).toBe(403);
  });

  it('documents the public contract in OpenAPI', async () => {
    const doc = (await srv.app.inject({ url: '/api/openapi.json' })).json<{ paths: object }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/rooms/{code}',
        '/api/rooms/{code}/responses',
        '/api/rooms/{code}/prompts/{promptId}/results',
      ]),
    );
  });

  it('streams new answers to the presenter screen and resumes after a drop without a gap', async () => {
    await srv.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (srv.app.server.address() as { port: number }).port;
    const seen: string[] = [];
    let lastId = '';
    const stream = (last?: string) =>
      new Promise<http.ClientRequest>((resolve) => {
        const req = http.get(
          {
            host: '127.0.0.1',
            port,
            path: `/api/rooms/${code}/events?channel=screen`,
            headers: last ? { 'last-event-id': last } : {},
          },
          (res) => {
            let buf = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              buf += chunk;
              let i;
              while ((i = buf.indexOf('\n\n')) >= 0) {
                const frame = buf.slice(0, i);
                buf = buf.slice(i + 2);
                const id = /^id: (.+)$/m.exec(frame)?.[1];
                if (id) lastId = id;
                if (/^event: answers.new$/m.test(frame))
                  for (const a of (
                    JSON.parse(/^data: (.*)$/m.exec(frame)![1]) as { answers: { text: string }[] }
                  ).answers)
                    seen.push(a.text);
              }
            });
            resolve(req);
          },
        );
        req.on('error', () => undefined);
      });
    await host.request('POST', `/api/live/rooms/${roomId}/prompts/${textPrompt}/actions`, { action: 'open' });
    const s1 = await stream();
    await new Promise((r) => setTimeout(r, 300));
    await answer(
      { promptId: textPrompt, clientKey: 'sse-1', text: 'Before the drop' },
      'sse-key-0123456789abcdef',
    );
    await new Promise((r) => setTimeout(r, 600));
    s1.destroy();
    const resumeFrom = lastId;
    await answer(
      { promptId: textPrompt, clientKey: 'sse-2', text: 'During the drop' },
      'sse-key-0123456789abcdef',
    );
    await new Promise((r) => setTimeout(r, 600));
    const s2 = await stream(resumeFrom);
    await new Promise((r) => setTimeout(r, 600));
    s2.destroy();
    expect(seen.filter((t) => t === 'Before the drop')).toHaveLength(1);
    expect(seen.filter((t) => t === 'During the drop')).toHaveLength(1);
  });
});
