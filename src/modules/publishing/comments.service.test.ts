import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.ts';
import { createMailer } from '../notify/index.ts';
import { grant, makeAccount, makeSeries, unique } from '../../../test/support/factories.ts';
import { testDb } from '../../../test/support/db.ts';
import {
  eraseCommenter,
  exportCommenter,
  moderate,
  moderatorReply,
  publicComments,
  submitComment,
  unsubscribe,
} from './comments.service.ts';
import { createPost } from './posts.service.ts';
import { thread } from './post.view.ts';

let h: DbHandle;
const mail = {
  mailer: createMailer(undefined, 'test@colloquy.invalid'),
  publicUrl: 'https://colloquy.example',
};
const guest = { type: 'guest' as const };
const input = (over: Partial<Parameters<typeof submitComment>[4]> = {}) => ({
  name: 'Reader',
  email: `${unique('r')}@example.org`,
  website: '',
  body: unique('A thought'),
  parentId: null,
  notify: false,
  homepage: '',
  ...over,
});

beforeAll(async () => {
  h = await testDb();
});
afterAll(async () => h.close());

async function setup(language = 'en') {
  const series = await makeSeries(h.db);
  const coord = await makeAccount(h.db, { name: 'Coordinator' });
  await grant(h.db, coord, series.id, 'coordinator');
  const postId = await createPost(h.db, coord, series.id, {
    slug: unique('p').toLowerCase(),
    language,
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
  return { series, coord, postId };
}

describe('comment moderation and commenters’ data', () => {
  it('shows replies three levels deep, in order', async () => {
    const { coord, postId } = await setup();
    const a = await submitComment(
      h.db,
      mail,
      postId,
      { type: 'account', actor: coord },
      input({ body: 'Level one' }),
    );
    const b = await submitComment(
      h.db,
      mail,
      postId,
      { type: 'account', actor: coord },
      input({ body: 'Level two', parentId: a.id }),
    );
    await submitComment(
      h.db,
      mail,
      postId,
      { type: 'account', actor: coord },
      input({ body: 'Level three', parentId: b.id }),
    );
    const out = thread(await publicComments(h.db, postId)).toString();
    expect(out).toMatch(
      /<ol><li[^>]*>[\s\S]*Level one[\s\S]*<ol><li[^>]*>[\s\S]*Level two[\s\S]*<ol><li[^>]*>[\s\S]*Level three/,
    );
  });

  it('mails a reply only to commenters who asked, with an unsubscribe link that works in one click', async () => {
    const { coord, postId } = await setup();
    const email = `${unique('ask')}@example.org`;
    const first = await submitComment(
      h.db,
      mail,
      postId,
      guest,
      input({ email, notify: true, body: 'Please tell me about replies' }),
    );
    await moderate(h.db, mail, coord, first.id, 'approve');
    await moderatorReply(h.db, mail, coord, first.id, 'Here is a reply');
    const sent = await h.db
      .selectFrom('mail_log')
      .selectAll()
      .where('to_address', '=', email)
      .where('kind', '=', 'comment_reply')
      .execute();
    expect(sent).toHaveLength(1);
    const token = /unsubscribe\?token=([A-Za-z0-9_-]+)/.exec(sent[0].text_body)![1];
    expect(await unsubscribe(h.db, token)).toBe(true);
    await moderatorReply(h.db, mail, coord, first.id, 'A second reply');
    expect(
      await h.db
        .selectFrom('mail_log')
        .select('id')
        .where('to_address', '=', email)
        .where('kind', '=', 'comment_reply')
        .execute(),
    ).toHaveLength(1);

    const quiet = `${unique('quiet')}@example.org`;
    const other = await submitComment(h.db, mail, postId, guest, input({ email: quiet, notify: false }));
    await moderatorReply(h.db, mail, coord, other.id, 'Reply nobody asked for');
    expect(
      await h.db.selectFrom('mail_log').select('id').where('to_address', '=', quiet).execute(),
    ).toHaveLength(0);
  });

  it('writes the reply mail in the language of the post (an Arabic post: an Arabic mail)', async () => {
    const { coord, postId } = await setup('ar');
    const email = `${unique('ar')}@example.org`;
    const first = await submitComment(h.db, mail, postId, guest, input({ email, notify: true }));
    await moderate(h.db, mail, coord, first.id, 'approve');
    await moderatorReply(h.db, mail, coord, first.id, 'A reply in any language');
    const [sent] = await h.db
      .selectFrom('mail_log')
      .selectAll()
      .where('to_address', '=', email)
      .where('kind', '=', 'comment_reply')
      .execute();
    expect(sent.subject).toContain('ردّ');
    expect(sent.subject).not.toMatch(/replied/);
    expect(sent.text_body).toContain('أوقف هذه الرسائل');
    expect(sent.html_body).toMatch(/<html lang="ar" dir="rtl">/);
    expect(sent.html_body).not.toMatch(/Read the conversation|Stop these e-mails/);
  });

  it('lets only the series’ coordinators moderate', async () => {
    const { series, postId } = await setup();
    const c = await submitComment(h.db, mail, postId, guest, input());
    const presenter = await makeAccount(h.db);
    await grant(h.db, presenter, series.id, 'presenter');
    await expect(moderate(h.db, mail, presenter, c.id, 'approve')).rejects.toMatchObject({ status: 403 });
    await expect(moderate(h.db, mail, null, c.id, 'approve')).rejects.toMatchObject({ status: 401 });
  });

  it('keeps a removed comment as a placeholder when it has replies', async () => {
    const { coord, postId } = await setup();
    const parent = await submitComment(
      h.db,
      mail,
      postId,
      { type: 'account', actor: coord },
      input({ body: 'Parent' }),
    );
    await submitComment(
      h.db,
      mail,
      postId,
      { type: 'account', actor: coord },
      input({ body: 'Child', parentId: parent.id }),
    );
    await moderate(h.db, mail, coord, parent.id, 'delete');
    const rows = await publicComments(h.db, postId);
    expect(rows.find((r) => r.id === parent.id)).toMatchObject({
      status: 'deleted',
      author_name: '',
      body_html: '',
    });
    expect(thread(rows).toString()).toContain('This comment was removed.');
  });

  it('exports and erases a commenter’s data by e-mail', async () => {
    const { coord, postId } = await setup();
    const email = `${unique('erase')}@example.org`;
    const a = await submitComment(
      h.db,
      mail,
      postId,
      guest,
      input({ email, name: 'Erin', body: 'First words' }),
    );
    await moderate(h.db, mail, coord, a.id, 'approve');
    await submitComment(h.db, mail, postId, guest, input({ email, name: 'Erin', body: 'Second words' }));
    await moderatorReply(h.db, mail, coord, a.id, 'A reply to Erin');
    const exported = await exportCommenter(h.db, email.toUpperCase());
    expect(exported.comments.map((c) => c.body)).toEqual(['First words', 'Second words']);
    expect(await eraseCommenter(h.db, email)).toEqual({ deleted: 1, anonymised: 1 });
    expect((await exportCommenter(h.db, email)).comments).toEqual([]);
    const left = await h.db.selectFrom('comment').selectAll().where('post_id', '=', postId).execute();
    expect(left.some((c) => c.author_name === 'Erin' || c.body_md.includes('words'))).toBe(false);
  });
});
