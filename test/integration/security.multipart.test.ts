import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { grant, makeAccount, makeSeries } from '../support/factories.ts';
import { login, testServer, type Client } from '../support/server.ts';

/**
 * Uploads are read only after the caller is known and the form's token checked: a large multipart
 * body from someone anonymous, or without the token, is answered before it is read, and memory stays
 * flat. Sent over a real socket, so "before it is read" is what the server does, not what inject does.
 */
let srv: Running;
let port: number;
let coord: Client;
let seriesId: string;

beforeAll(async () => {
  srv = await testServer();
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  port = (srv.app.server.address() as AddressInfo).port;
  const s = await makeSeries(srv.ctx.db);
  seriesId = s.id;
  coord = await login(
    srv,
    (await grant(srv.ctx.db, await makeAccount(srv.ctx.db), s.id, 'coordinator')).email,
  );
});
afterAll(async () => srv.close());

const BOUNDARY = '----colloquy-hostile';
const CHUNK = Buffer.alloc(64 * 1024, 'a');
const MB = 1024 * 1024;

const field = (name: string, value: string) =>
  `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const fileHead = (name = 'file', fileName = 'big.csv') =>
  `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"; filename="${fileName}"\r\ncontent-type: text/csv\r\n\r\n`;

/**
 * Posts `head`, then filler up to `total` bytes, as fast as the server reads it; stops at the answer.
 * Resolves with the status, the time to the answer and how many bytes had been sent by then.
 */
function post(path: string, head: string, total: number, cookie = '') {
  return new Promise<{ status: number; ms: number; sentMB: number; body: string }>((resolve, reject) => {
    const t0 = performance.now();
    let sent = 0;
    let answered = false;
    const req = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path,
      headers: {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'content-length': String(total),
        ...(cookie ? { cookie } : {}),
      },
    });
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    req.on('response', (res) => {
      answered = true;
      const ms = Math.round(performance.now() - t0);
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, ms, sentMB: Math.round((sent / MB) * 10) / 10, body });
        req.destroy();
      });
      res.on('error', () => {});
    });
    const h = Buffer.from(head);
    req.write(h);
    sent += h.length;
    const pump = () => {
      while (!answered && !req.destroyed && sent < total) {
        const n = Math.min(CHUNK.length, total - sent);
        sent += n;
        if (!req.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n)))
          return void req.once('drain', pump);
      }
      if (sent >= total && !answered) req.end();
    };
    pump();
  });
}

const importPath = () => `/console/series/${seriesId}/workbench/import`;

describe('uploads are read only after authentication and CSRF', () => {
  it('answers an anonymous 44 MB import with 401 before reading it, and memory stays flat', async () => {
    const before = process.memoryUsage().rss;
    const results = [];
    for (let i = 0; i < 20; i++)
      results.push(await post(importPath(), field('_csrf', 'x') + fileHead(), 44 * MB));
    const growthMB = Math.round((process.memoryUsage().rss - before) / MB);
    const slowest = Math.max(...results.map((r) => r.ms));
    const sent = Math.max(...results.map((r) => r.sentMB));
    console.log(
      JSON.stringify({
        anonymousUploads: 20,
        sizeMB: 44,
        status: results[0].status,
        slowestMs: slowest,
        maxSentMB: sent,
        rssGrowthMB: growthMB,
      }),
    );
    expect(results.every((r) => r.status === 401)).toBe(true);
    expect(results[0].body).toContain('"unauthenticated"');
    // Answered long before 44 MB could have been sent (the server does not read the body).
    expect(sent).toBeLessThan(20);
    expect(growthMB).toBeLessThan(150);
  });

  it('answers a signed-in upload without the token first with 403, before reading the file', async () => {
    const noToken = await post(importPath(), field('step', 'preview') + fileHead(), 44 * MB, coord.cookie);
    const wrongToken = await post(
      importPath(),
      field('_csrf', 'not-the-token') + fileHead(),
      44 * MB,
      coord.cookie,
    );
    console.log(JSON.stringify({ noCsrfUpload: noToken, wrongCsrfUpload: wrongToken }));
    for (const r of [noToken, wrongToken]) {
      expect(r.status).toBe(403);
      expect(r.body).toContain('"csrf_failed"');
      expect(r.sentMB).toBeLessThan(20);
    }
  });

  it('refuses multipart on a route that takes no upload (415) and a file over the limit (413)', async () => {
    const elsewhere = await post(
      `/console/series/${seriesId}/workbench/refresh`,
      field('_csrf', coord.csrf),
      2 * MB,
      coord.cookie,
    );
    expect(elsewhere.status).toBe(415);
    // The cover form takes 2 MB: 3 MB behind a valid token is cut off at the limit, not buffered whole.
    const post_ = (
      await coord.request('POST', `/api/series/${seriesId}/posts`, {
        slug: 'mp-big',
        title: 'T',
        bodyMd: 'x',
      })
    ).json<{ id: string }>();
    const big = await post(
      `/console/posts/${post_.id}/cover`,
      field('_csrf', coord.csrf) + fileHead('image', 'a.png'),
      3 * MB,
      coord.cookie,
    );
    console.log(JSON.stringify({ uploadOnOtherRoute: elsewhere.status, coverOverLimit: big.status }));
    expect(big.status).toBe(413);
    expect(big.body).toContain('2 MB');
  });
});
