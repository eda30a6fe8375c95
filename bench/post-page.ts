/**
 * Post page benchmark: a Colloquy server (separate process, temp SQLite, --no-demo) serving a
 * published post with 200 approved comments and a findings snapshot, hit by autocannon for 10 s
 * with 50 connections. Prints one JSON object when run on its own: `tsx bench/post-page.ts`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { openDatabase } from '../src/db/index.ts';
import { newId } from '../src/lib/ids.ts';
import { compare } from '../src/modules/analysis/index.ts';
import { composeDemoAnswers } from '../src/modules/workbench/demo-responses.ts';
import { createPost, createSnapshot, renderCommentMarkdown } from '../src/modules/publishing/index.ts';
import { createSeries } from '../src/modules/series/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not start');
}

/** Seeds a series, a snapshot, a post and 200 approved threaded comments straight into the database. */
async function seed(dataDir: string): Promise<string> {
  const handle = openDatabase({ sqliteFile: join(dataDir, 'colloquy.sqlite') });
  try {
    const db = handle.db;
    const accountId = newId();
    await db
      .insertInto('account')
      .values({
        id: accountId,
        email: 'bench@example.org',
        name: 'Bench Coordinator',
        password_hash: null,
        is_admin: 1,
        created_at: new Date().toISOString(),
        last_login_at: null,
      })
      .execute();
    const actor = {
      accountId,
      email: 'bench@example.org',
      name: 'Bench Coordinator',
      isAdmin: true,
      grants: [],
      sessionId: '',
      csrfToken: '',
    };
    const seriesId = await createSeries(db, actor, {
      slug: 'bench-series',
      title: 'Bench series',
      description: 'Benchmark',
      guidingQuestions: [],
      languages: ['en'],
      timeZone: 'UTC',
      registrationMode: 'series',
      retentionDays: 365,
      status: 'published',
    });
    const snapshotId = await createSnapshot(db, {
      seriesId,
      title: 'Bench findings',
      engineVersion: 'bench',
      result: benchFindings(),
    });
    const body = Array.from(
      { length: 8 },
      (_, i) =>
        `## Part ${i + 1}\n\nMentoring and *coaching* came up in every region; [read more](https://example.org/${i}).\n\n- one\n- two\n`,
    ).join('\n');
    const postId = await createPost(db, actor, seriesId, {
      slug: 'bench-post',
      language: 'en',
      translationOf: null,
      title: 'Bench post',
      summary: 'A post with 200 comments',
      bodyMd: body,
      status: 'published',
      publishAt: null,
      tags: ['bench'],
      coverUploadId: null,
      snapshotId,
    });
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const id = newId();
      const md = `Comment ${i}: I *agree* with the point about mentoring; in our library it worked well.\n\n> quoting someone\n\nSee \`code\` too.`;
      const at = new Date(Date.now() - (200 - i) * 60_000).toISOString();
      await db
        .insertInto('comment')
        .values({
          id,
          post_id: postId,
          parent_id: i % 3 === 2 ? ids[i - 1] : null,
          account_id: null,
          identity: null,
          author_name: `Reader ${i}`,
          author_email: `r${i}@example.org`,
          author_website: i % 5 === 0 ? 'https://example.org' : null,
          body_md: md,
          body_html: renderCommentMarkdown(md),
          body_hash: `h${i}`,
          status: 'approved',
          held_reason: null,
          notify_replies: 0,
          unsubscribe_token: null,
          created_at: at,
          approved_at: at,
        })
        .execute();
      ids.push(id);
    }
    return '/series/bench-series/posts/bench-post';
  } finally {
    await handle.close();
  }
}

/** Runs the benchmark and returns its figures. */
export async function benchPostPage(): Promise<object> {
  const dataDir = mkdtempSync(join(tmpdir(), 'colloquy-bench-post-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin/colloquy.mjs'),
      'serve',
      '--no-demo',
      '--data',
      dataDir,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    {
      env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', PUBLIC_URL: url },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  try {
    await waitHealthy(url);
    const path = await seed(dataDir);
    const first = await fetch(`${url}${path}`);
    const html = await first.text();
    if (!first.ok || (html.match(/class="comment"/g) ?? []).length !== 200)
      throw new Error(`post page not as expected: ${first.status}`);
    // Readers' browsers always offer compression; so does the benchmark.
    const result = await autocannon({
      url: `${url}${path}`,
      connections: 50,
      duration: 10,
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    // The same server's /healthz (no database, tiny JSON), for scale: what this machine allows right now.
    const ceiling = await autocannon({ url: `${url}/healthz`, connections: 50, duration: 5 });
    return {
      name: 'post page with 200 comments',
      requestsPerSecond: result.requests.average,
      p99Ms: result.latency.p99,
      p50Ms: result.latency.p50,
      meanMs: result.latency.average,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      pageBytes: Buffer.byteLength(html),
      acceptEncoding: 'gzip, deflate, br',
      loadAverage: (await import('node:os')).loadavg()[0],
      healthzRequestsPerSecond: ceiling.requests.average,
      healthzP99Ms: ceiling.latency.p99,
      connections: 50,
      durationS: 10,
      database: 'sqlite',
    };
  } finally {
    child.kill('SIGTERM');
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchPostPage()
    .then((r) => console.log(JSON.stringify(r, null, 2)))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}

/** A snapshot result of the usual size: the engine's comparison of the demo's composed answers. */
function benchFindings() {
  const answers = composeDemoAnswers();
  const c = compare(answers.map((a) => ({ labels: a.themes, group: a.region, kind: a.kind })));
  return {
    findings: Object.entries(c.kinds).map(([kind, k]) => ({
      kind,
      text: `Most mentioned: ${k.top.slice(0, 2).join(' and ')}.`,
      quotes: answers
        .filter((a) => a.kind === kind)
        .slice(0, 3)
        .map((a, i) => ({ id: String(i), text: a.text, group: a.region })),
    })),
    groupLabels: {},
    kinds: Object.fromEntries(
      Object.entries(c.kinds).map(([kind, k]) => [
        kind,
        {
          themes: k.themes
            .filter((t) => t.count > 0)
            .slice(0, 8)
            .map((t) => ({
              id: t.id,
              label: t.id,
              count: t.count,
              share: t.share,
              low: t.low,
              high: t.high,
            })),
        },
      ]),
    ),
  };
}
