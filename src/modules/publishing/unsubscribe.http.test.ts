// Stopping e-mail about replies, as a commenter and a mail client meet it: the link in the mail shows
// a button and changes nothing (no GET writes), the POST (a click, or a mail client's one-click
// RFC 8058 request) turns the e-mails off, and the page is in the reader's language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECT } from '../../../test/support/db.ts';
import { grant, makeAccount, makeSeries, unique } from '../../../test/support/factories.ts';
import { testServer } from '../../../test/support/server.ts';
import type { Running } from '../../server/index.ts';
import { createMailer } from '../notify/index.ts';
import { moderate, moderatorReply, submitComment } from './comments.service.ts';
import { createPost } from './posts.service.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => srv?.close());

const mail = {
  mailer: createMailer(undefined, 'test@colloquy.invalid'),
  publicUrl: 'https://colloquy.example',
};

/** A commenter who asked to hear about replies, and the reply mail they got. */
async function replied() {
  const db = srv.ctx.db;
  const series = await makeSeries(db);
  const coord = await makeAccount(db, { name: 'Coordinator' });
  await grant(db, coord, series.id, 'coordinator');
  const postId = await createPost(db, coord, series.id, {
    slug: unique('p').toLowerCase(),
    language: 'en',
    translationOf: null,
    title: 'Post',
    summary: '',
    bodyMd: 'Body',
    status: 'published',
    publishAt: null,
    tags: [],
    coverUploadId: null,
    snapshotId: null,
  });
  const email = `${unique('ask')}@example.org`;
  const c = await submitComment(
    db,
    mail,
    postId,
    { type: 'guest' },
    {
      name: 'Reader',
      email,
      website: '',
      body: 'Tell me about replies',
      parentId: null,
      notify: true,
      homepage: '',
    },
  );
  await moderate(db, mail, coord, c.id, 'approve');
  await moderatorReply(db, mail, coord, c.id, 'A reply');
  const sent = await db
    .selectFrom('mail_log')
    .selectAll()
    .where('to_address', '=', email)
    .where('kind', '=', 'comment_reply')
    .executeTakeFirstOrThrow();
  const url = new URL(/https:\/\/\S+\/comments\/unsubscribe\?token=[A-Za-z0-9_-]+/.exec(sent.text_body)![0]);
  const subscribed = async () =>
    Number(
      (
        await db
          .selectFrom('comment')
          .select('notify_replies')
          .where('id', '=', c.id)
          .executeTakeFirstOrThrow()
      ).notify_replies,
    );
  return { path: url.pathname + url.search, subscribed };
}

describe(`stopping e-mail about replies (${DIALECT})`, () => {
  it('the link shows a button and writes nothing; the button turns the e-mails off; the link is then spent', async () => {
    const { path, subscribed } = await replied();
    const shown = await srv.app.inject({ url: path, headers: { accept: 'text/html' } });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('<form method="post"');
    expect(shown.body).toContain('Stop these e-mails');
    // A mail scanner that follows every link must not unsubscribe anyone.
    await srv.app.inject({ url: path });
    expect(await subscribed()).toBe(1);

    const posted = await srv.app.inject({
      method: 'POST',
      url: path,
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(posted.statusCode).toBe(303);
    expect(await subscribed()).toBe(0);
    const done = await srv.app.inject({ url: posted.headers.location as string });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('you will no longer receive e-mail about replies');

    const again = await srv.app.inject({ url: path, headers: { accept: 'text/html' } });
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('not valid any more');
  });

  it('answers a mail client’s one-click POST (RFC 8058) without a session or CSRF token', async () => {
    const { path, subscribed } = await replied();
    const res = await srv.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('unsubscribed');
    expect(await subscribed()).toBe(0);
    const unknown = await srv.app.inject({
      method: 'POST',
      url: '/comments/unsubscribe?token=nothing-like-this',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(unknown.statusCode).toBe(404);
    expect(JSON.parse(unknown.body).error.field).toBe('token');
  });

  it('sends List-Unsubscribe headers with the reply mail', async () => {
    const { path } = await replied();
    const token = new URLSearchParams(path.split('?')[1]).get('token')!;
    const { replyMail } = await import('./mail.ts');
    const m = replyMail(
      'https://colloquy.example',
      { series_slug: 's', slug: 'p', title: 'T', language: 'en' } as Parameters<typeof replyMail>[1],
      {} as Parameters<typeof replyMail>[2],
      { id: 'r', author_name: 'A', body_html: '<p>x</p>' } as Parameters<typeof replyMail>[3],
      token,
    );
    expect(m.unsubscribeUrl).toBe(`https://colloquy.example${path}`);
  });

  it('is in the reader’s language, right to left in Arabic', async () => {
    const { path } = await replied();
    const ar = await srv.app.inject({ url: `${path}&lang=ar` });
    expect(ar.statusCode).toBe(200);
    expect(ar.body).toMatch(/<html[^>]*lang="ar"[^>]*dir="rtl"|<html[^>]*dir="rtl"[^>]*lang="ar"/);
    expect(ar.body).toContain('أوقف هذه الرسائل');
    const fr = await srv.app.inject({
      url: '/comments/unsubscribe?token=unknown',
      headers: { 'accept-language': 'fr' },
    });
    expect(fr.statusCode).toBe(404);
    expect(fr.body).toContain('Ce lien n’est plus valable');
  });
});
