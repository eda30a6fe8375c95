import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../server/index.ts';
import { insertItems } from './workbench.repository.ts';
import { DIALECT } from '../../../test/support/db.ts';
import { grant, makeAccount, makeSeries } from '../../../test/support/factories.ts';
import { anonymous, login, testServer, type Client } from '../../../test/support/server.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => srv.close());

const CSV =
  'id,region,prompt_kind,text,submitted_at\nq1,europe,best_practice,A mentor helped me lead.,2022-04-01\nq2,asia_oceania,need,We need leadership training.,2022-03-23\nq3,europe,need,We need better communication with the board.,2022-04-01\nq4,europe,need,,2022-04-01\n';

const form = (client: Client, url: string, fields: Record<string, string>) => {
  const body = new URLSearchParams({ _csrf: client.csrf, ...fields });
  return srv.app.inject({
    method: 'POST',
    url,
    headers: { cookie: client.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
};

function multipart(
  client: Client,
  url: string,
  fields: Record<string, string>,
  file?: { name: string; content: string },
) {
  const boundary = '----colloquy-test-boundary';
  const parts = Object.entries({ _csrf: client.csrf, ...fields }).map(
    ([k, v]) => `--${boundary}\r\ncontent-disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  if (file)
    parts.push(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: text/csv\r\n\r\n${file.content}\r\n`,
    );
  return srv.app.inject({
    method: 'POST',
    url,
    headers: { cookie: client.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: `${parts.join('')}--${boundary}--\r\n`,
  });
}

async function coordinatorSeries() {
  const s = await makeSeries(srv.ctx.db);
  const coord = await grant(srv.ctx.db, await makeAccount(srv.ctx.db), s.id, 'coordinator');
  return { s, client: await login(srv, coord.email) };
}

describe(`the workbench pages (${DIALECT})`, () => {
  it('imports a CSV through a preview without JavaScript and shows the unreadable rows', async () => {
    const { s, client } = await coordinatorSeries();
    const base = `/console/series/${s.id}/workbench`;
    expect((await client.request('GET', base)).statusCode).toBe(200);
    const preview = await multipart(
      client,
      `${base}/import`,
      { step: 'preview', kind: 'csv', name: 'survey' },
      { name: 'survey.csv', content: CSV },
    );
    expect(preview.statusCode, preview.body.slice(0, 300)).toBe(200);
    expect(preview.body).toContain('Rows that could not be read');
    expect(preview.body).toContain('the text is empty');
    // The same preview for a coordinator who reads German, and one who reads Arabic.
    for (const [lang, words] of [
      [
        'de',
        [
          'Importvorschau',
          'Zeilen, die nicht gelesen werden konnten',
          '4 Zeilen gelesen',
          'Vorschau aktualisieren',
          'Der Text ist leer',
        ],
      ],
      ['ar', ['معاينة الاستيراد', 'صفوف تعذّرت قراءتها', 'تحديث المعاينة', 'النص فارغ']],
    ] as const) {
      const other = await multipart(
        client,
        `${base}/import?lang=${lang}`,
        { step: 'preview', kind: 'csv', name: 'survey' },
        { name: 'survey.csv', content: CSV },
      );
      expect(other.statusCode).toBe(200);
      for (const w of words) expect(other.body).toContain(w);
      for (const english of [
        'Import preview',
        'Rows that could not be read',
        'Update preview',
        'First rows',
        'the text is empty',
      ])
        expect(other.body).not.toContain(english);
    }
    // The preview carries the id of the file kept on the server, never the file itself.
    expect(preview.body).not.toContain(Buffer.from(CSV).toString('base64').slice(0, 40));
    expect(preview.body).not.toContain('name="content"');
    const upload = /name="upload" value="([^"]+)"/.exec(preview.body)![1];
    const done = await multipart(client, `${base}/import`, {
      step: 'commit',
      kind: 'csv',
      name: 'survey',
      upload,
      map_text: 'text',
      map_id: 'id',
      map_region: 'region',
      map_kind: 'prompt_kind',
      map_date: 'submitted_at',
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Imported 3 responses from survey; 1 row could not be read.');
    // The kept file is gone after its import; posting its id again finds nothing.
    const kept = await srv.ctx.db.selectFrom('wb_upload').select('id').where('id', '=', upload).execute();
    expect(kept).toEqual([]);
    const again = await multipart(client, `${base}/import`, { step: 'commit', kind: 'csv', upload });
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('no longer here');
  });

  it('codes a unit from the review form and shows it on the compare page with links to its quotes', async () => {
    const { s, client } = await coordinatorSeries();
    const base = `/console/series/${s.id}/workbench`;
    const imp = await client.request('POST', `/api/series/${s.id}/workbench/imports`, {
      kind: 'csv',
      name: 'api',
      content: Buffer.from(CSV).toString('base64'),
    });
    expect(imp.statusCode).toBe(200);
    expect(imp.json()).toMatchObject({ added: 3 });
    const review = await client.request('GET', `${base}/review`);
    expect(review.statusCode).toBe(200);
    const itemId = /action="[^"]+\/review\/([^"]+)"/.exec(review.body)![1];
    const res = await form(client, `${base}/review/${itemId}`, {
      themeKey: 'funding',
      decision: 'accept',
      start: '',
      end: '',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/review\?changed=/);
    // The review page speaks the reader's language; the answers stay as written.
    const fr = await client.request('GET', `${res.headers.location as string}&lang=fr`);
    expect(fr.body).toContain('<html lang="fr"');
    expect(fr.body).toContain('Enregistré. Le moteur a été réentraîné');
    expect(fr.body).toMatch(/>\s*Accepter\s*</);
    expect(fr.body).not.toMatch(/>\s*Accept\s*</);
    const ar = await client.request('GET', `${base}/review?lang=ar`);
    expect(ar.body).toContain('dir="rtl"');
    expect(ar.body).toContain('منضدة التحليل');
    const cmp = await client.request('GET', `${base}/compare`);
    expect(cmp.statusCode).toBe(200);
    expect(cmp.body).toContain('<table class="heat"');
    expect(cmp.body).toContain('Funding');
    const item = await srv.ctx.db
      .selectFrom('wb_item')
      .select(['text', 'prompt_kind', 'region'])
      .where('id', '=', itemId)
      .executeTakeFirstOrThrow();
    const href = `${base}/quotes?kind=${item.prompt_kind}&amp;theme=funding&amp;region=${item.region}`;
    expect(cmp.body).toContain(`href="${href}"`);
    const quotes = await client.request('GET', href.replace(/&amp;/g, '&'));
    expect(quotes.body).toContain(item.text);
    const quotesEs = await client.request('GET', `${href.replace(/&amp;/g, '&')}&lang=es`);
    expect(quotesEs.body).toContain('Volver a la comparación');
    expect(quotesEs.body).toMatch(/<p>\d+ respuestas?\.<\/p>/);
    expect(quotesEs.body).toContain(item.text);
    const api = (await client.request('GET', `/api/series/${s.id}/workbench`)).json() as {
      decisions: number;
      agreement: { engine: { themeKey: string }[] };
    };
    expect(api.decisions).toBe(1);
    expect(api.agreement.engine[0].themeKey).toBe('funding');
  });

  it('saves findings as a snapshot and shows that it reproduces', async () => {
    const { s, client } = await coordinatorSeries();
    const base = `/console/series/${s.id}/workbench`;
    await client.request('POST', `/api/series/${s.id}/workbench/imports`, {
      kind: 'csv',
      name: 'api',
      content: Buffer.from(CSV).toString('base64'),
    });
    const page = await client.request('GET', `${base}/findings`);
    expect(page.body).toContain('name="edit_0"');
    const saved = await form(client, `${base}/snapshots`, {
      title: 'First look',
      edit_0: 'Mentoring leads.',
    });
    expect(saved.statusCode).toBe(303);
    const snap = await client.request('GET', saved.headers.location as string);
    expect(snap.body).toContain('Reproduced exactly');
    expect(snap.body).toContain('Mentoring leads.');
    const id = (saved.headers.location as string).split('/snapshots/')[1].split('?')[0];
    const json = (await client.request('GET', `/api/series/${s.id}/workbench/snapshots/${id}`)).json() as {
      reproduced: { equal: boolean };
    };
    expect(json.reproduced.equal).toBe(true);
  });

  it('shows distinctive claims with n, shares, adjusted q and sensitivity; JSON and page agree', async () => {
    const { s, client } = await coordinatorSeries();
    const lines = ['id,region,prompt_kind,text,submitted_at'];
    // Written for this test: Europe talks about mentors, the other regions about budgets.
    for (let i = 0; i < 12; i++)
      lines.push(
        `e${i},europe,best_practice,My mentor met me every month during my first year (${i}).,2022-04-0${1 + (i % 2)}`,
      );
    for (const region of ['asia_oceania', 'north_america', 'sub_saharan_africa'])
      for (let i = 0; i < 12; i++)
        lines.push(
          `${region}${i},${region},best_practice,The library budget was cut again this year (${i}).,2022-04-0${1 + (i % 2)}`,
        );
    await client.request('POST', `/api/series/${s.id}/workbench/imports`, {
      kind: 'csv',
      name: 'claims',
      content: Buffer.from(lines.join('\n') + '\n').toString('base64'),
    });
    const res = await client.request('GET', `/api/series/${s.id}/workbench/findings`);
    expect(res.statusCode).toBe(200);
    const json = res.json() as {
      n: number;
      claims: { tests: number; q: number; minSupport: number; held: number };
      findings: {
        type: string;
        held: boolean;
        group?: string;
        text: string;
        themes: string[];
        claim?: {
          n: number;
          count: number;
          share: number;
          otherShare: number;
          q: number;
          sensitivity: { withoutLowConfidence: boolean; checkpoints: { asOf: string }[]; firstHeld?: string };
        };
        quotes: { codedBy: string; confidence?: number }[];
      }[];
    };
    expect(json.n).toBe(48);
    expect(json.claims).toMatchObject({ q: 0.05, minSupport: 5 });
    expect(json.claims.tests).toBeGreaterThan(3);
    const europe = json.findings.find((f) => f.type === 'distinctive' && f.held && f.group === 'europe');
    expect(europe, JSON.stringify(json.findings.map((f) => f.text))).toBeDefined();
    expect(europe!.text).toMatch(
      /in Europe among best practices: 12 of 12 responses \(100%\) against 0% elsewhere/,
    );
    expect(europe!.claim).toMatchObject({ n: 12, count: 12, share: 1, otherShare: 0 });
    expect(europe!.claim!.q).toBeLessThanOrEqual(0.05);
    // No sessions in the file: each day of answers is a checkpoint; 6 of 6 against 0 of 18 already held on the first.
    expect(europe!.claim!.sensitivity.checkpoints).toEqual([
      { asOf: '2022-04-01', held: true },
      { asOf: '2022-04-02', held: true },
    ]);
    expect(europe!.claim!.sensitivity.firstHeld).toBe('2022-04-01');
    expect(typeof europe!.claim!.sensitivity.withoutLowConfidence).toBe('boolean');
    for (const q of europe!.quotes)
      if (q.codedBy === 'engine') expect(q.confidence).toBeGreaterThanOrEqual(0.8);
    // In the reader's language, with the same figures.
    const de = (
      await client.request('GET', `/api/series/${s.id}/workbench/findings?lang=de`)
    ).json() as typeof json;
    const europeDe = de.findings.find((f) => f.type === 'distinctive' && f.held && f.group === 'europe')!;
    expect(europeDe.text).toMatch(/sticht bei den bewährten Verfahren hervor – 12 von 12 Antworten/);
    // The page says the same, with the region's name, not its key.
    const page = await client.request('GET', `/console/series/${s.id}/workbench/findings`);
    expect(page.body).toContain('id="claims-summary"');
    expect(page.body).toContain(`adjusted q`);
    expect(page.body).not.toContain('asia_oceania');
    const compare = await client.request('GET', `/console/series/${s.id}/workbench/compare`);
    expect(compare.body).toMatch(/<th scope="row">Europe<\/th>/);
  });

  it("edits the codebook in the reader's language; theme names stay as typed", async () => {
    const { s, client } = await coordinatorSeries();
    const base = `/console/series/${s.id}/workbench`;
    const de = await client.request('GET', `${base}/codebook?lang=de`);
    expect(de.statusCode).toBe(200);
    expect(de.body).toContain('<html lang="de"');
    expect(de.body).toContain('Zwei Themen zusammenführen');
    expect(de.body).not.toContain('Merge two themes');
    const res = await form(client, `${base}/codebook?lang=zh`, {
      action: 'create',
      label: 'Kaffeepausen im Labor',
      key: '',
      description: '',
      terms: '',
      parent: '',
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.body).toContain('引擎将按新编码本重新训练。');
    expect(res.body).toContain('Kaffeepausen im Labor');
  });

  it('translates a theme per language in the codebook, marks what is not translated and shows it on compare', async () => {
    const { s, client } = await coordinatorSeries();
    const base = `/console/series/${s.id}/workbench`;
    await client.request('POST', `/api/series/${s.id}/workbench/imports`, {
      kind: 'csv',
      name: 'api',
      content: Buffer.from(CSV).toString('base64'),
    });
    const page = await client.request('GET', `${base}/codebook?translate=communication`);
    expect(page.body).toContain('id="t-label_ar"');
    // The default theme comes with its name in seven languages; its description is still English.
    expect(page.body).toMatch(/id="t-label_ar"[^>]*value="التواصل"|value="التواصل"[^>]*id="t-label_ar"/);
    expect(page.body).toContain('not translated yet — shown in English');
    const saved = await form(client, `${base}/codebook?lang=fr`, {
      action: 'translate',
      key: 'communication',
      label_ar: 'التواصل مع المجلس',
      description_ar: 'كيف نتحدث مع مجلس الإدارة',
      label_fr: '',
    });
    expect(saved.statusCode, saved.body.slice(0, 300)).toBe(200);
    expect(saved.body).toContain('Les traductions ont été enregistrées.');
    expect(saved.body).toContain('pas encore traduit — affiché en anglais');
    const tooLong = await form(client, `${base}/codebook`, {
      action: 'translate',
      key: 'communication',
      label_de: 'x'.repeat(121),
    });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.body).toContain('id="t-label_de-err"');
    const ar = await client.request('GET', `${base}/compare?lang=ar`);
    expect(ar.body).toContain('التواصل مع المجلس');
    expect(ar.body).toContain('أوروبا');
    expect(ar.body).not.toMatch(/>Europe</);
    const fr = await client.request('GET', `${base}/compare?lang=fr`);
    expect(fr.body).toContain('Communication'); // French: the built-in name, same as English here
  });

  it('serves every export format as a download', async () => {
    const { s, client } = await coordinatorSeries();
    await client.request('POST', `/api/series/${s.id}/workbench/imports`, {
      kind: 'csv',
      name: 'api',
      content: Buffer.from(CSV).toString('base64'),
    });
    for (const f of ['csv', 'xlsx', 'qdc', 'qdpx', 'md', 'docx']) {
      const res = await client.request('GET', `/api/series/${s.id}/workbench/export?format=${f}`);
      expect(res.statusCode, f).toBe(200);
      expect(res.headers['content-disposition']).toContain(`.${f}"`);
    }
  });

  it('checks who asks and which series the ids belong to', async () => {
    const { s, client } = await coordinatorSeries();
    const other = await coordinatorSeries();
    await other.client.request('POST', `/api/series/${other.s.id}/workbench/imports`, {
      kind: 'csv',
      name: 'api',
      content: Buffer.from(CSV).toString('base64'),
    });
    const foreign = await srv.ctx.db
      .selectFrom('wb_item')
      .select('id')
      .where('series_id', '=', other.s.id)
      .executeTakeFirstOrThrow();
    expect(
      (
        await client.request('POST', `/api/series/${s.id}/workbench/items/${foreign.id}/codings`, {
          themeKey: 'mentoring',
          decision: 'accept',
        })
      ).statusCode,
    ).toBe(404);
    expect((await client.request('GET', `/console/series/${other.s.id}/workbench`)).statusCode).toBe(403);
    expect((await anonymous(srv).request('GET', `/api/series/${s.id}/workbench`)).statusCode).toBe(401);
    expect(
      (await anonymous(srv).request('POST', `/api/series/${s.id}/workbench/refresh`, {})).statusCode,
    ).toBe(401);
    const presenter = await login(
      srv,
      (await grant(srv.ctx.db, await makeAccount(srv.ctx.db), s.id, 'presenter')).email,
    );
    expect((await presenter.request('GET', `/console/series/${s.id}/workbench/compare`)).statusCode).toBe(
      200,
    );
    expect((await presenter.request('POST', `/api/series/${s.id}/workbench/refresh`, {})).statusCode).toBe(
      403,
    );
  });
});

describe(`workbench input errors (${DIALECT})`, () => {
  it('answers a bad filter or decision with a 422 page, not an error', async () => {
    const { s, client } = await coordinatorSeries();
    const base = `/console/series/${s.id}/workbench`;
    const bad = await client.request('GET', `${base}/compare?asOf=yesterday`);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Use a date like 2022-05-31.');
    await client.request('POST', `/api/series/${s.id}/workbench/imports`, {
      kind: 'csv',
      name: 'api',
      content: Buffer.from(CSV).toString('base64'),
    });
    const item = await srv.ctx.db
      .selectFrom('wb_item')
      .select('id')
      .where('series_id', '=', s.id)
      .executeTakeFirstOrThrow();
    const res = await form(client, `${base}/review/${item.id}`, { themeKey: 'mentoring', decision: 'maybe' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('role="alert"');
  });
});

describe(`labels, not keys (${DIALECT})`, () => {
  // Region keys may appear in URLs and form values; a person reads the region's name.
  const visible = (body: string) =>
    body.replace(/\s(href|action|value|data-[a-z-]+)="[^"]*"/g, '').replace(/<option[^>]*>/g, '');

  it('shows region names, not keys, on the compare, quotes and findings pages and in the reports', async () => {
    const { s, client } = await coordinatorSeries();
    const base = `/console/series/${s.id}/workbench`;
    const lines = ['id,region,prompt_kind,text,submitted_at'];
    for (let i = 0; i < 14; i++)
      lines.push(
        `l${i},latin_america_caribbean,need,Our branch needs funding and a grant for books ${i}.,2022-05-01`,
      );
    for (let i = 0; i < 14; i++)
      lines.push(`e${i},europe,need,A mentor guided my first year as a manager ${i}.,2022-05-01`);
    const imp = await client.request('POST', `/api/series/${s.id}/workbench/imports`, {
      kind: 'csv',
      name: 'regions',
      content: Buffer.from(`${lines.join('\n')}\n`).toString('base64'),
    });
    expect(imp.statusCode).toBe(200);
    const name = 'Latin America and the Caribbean';
    const cmp = await client.request('GET', `${base}/compare`);
    expect(cmp.body).toContain(name);
    expect(visible(cmp.body)).not.toContain('latin_america_caribbean');
    const quotes = await client.request('GET', `${base}/quotes?kind=need&region=latin_america_caribbean`);
    expect(quotes.body).toContain(name);
    expect(visible(quotes.body)).not.toContain('latin_america_caribbean');
    const findings = await client.request('GET', `${base}/findings`);
    expect(findings.body).toContain(`stands out in ${name}`);
    expect(visible(findings.body)).not.toContain('latin_america_caribbean');
    expect(findings.body).not.toContain('Latin America Caribbean');
    const md = await client.request('GET', `/api/series/${s.id}/workbench/export?format=md`);
    expect(md.body).toContain(name);
    expect(md.body).not.toContain('latin_america_caribbean');
    // The CSV keeps keys for machines.
    const csv = await client.request('GET', `/api/series/${s.id}/workbench/export?format=csv`);
    expect(csv.body).toContain('latin_america_caribbean');
    const docx = await client.request('GET', `/api/series/${s.id}/workbench/export?format=docx`);
    const { default: JSZip } = await import('jszip');
    const xml = await (await JSZip.loadAsync(docx.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain(name);
    expect(xml).not.toContain('latin_america_caribbean');
  });

  it('shows responses not coded yet without coding them on GET, and codes them with the Code now button', async () => {
    const { s, client } = await coordinatorSeries();
    const base = `/console/series/${s.id}/workbench`;
    // A fresh series: its pages read defaults and store nothing.
    expect((await client.request('GET', base)).statusCode).toBe(200);
    const stored = () =>
      srv.ctx.db.selectFrom('wb_state').select('series_id').where('series_id', '=', s.id).execute();
    expect(await stored()).toEqual([]);
    await client.request('POST', `/api/series/${s.id}/workbench/imports`, {
      kind: 'csv',
      name: 'api',
      content: Buffer.from(CSV).toString('base64'),
    });
    expect(await stored()).toHaveLength(1);
    // One more unit arrives without coding (as from another process), then the pages are looked at.
    const source = await srv.ctx.db
      .selectFrom('wb_source')
      .select('id')
      .where('series_id', '=', s.id)
      .executeTakeFirstOrThrow();
    await insertItems(srv.ctx.db, [
      {
        series_id: s.id,
        source_id: source.id,
        external_id: 'late',
        text: 'A late answer about mentoring.',
        region: 'europe',
        session: null,
        prompt_kind: 'need',
        language: 'en',
        career_stage: null,
        speaker: null,
        submitted_at: '2022-04-02T00:00:00.000Z',
        groups: '{}',
      },
    ]);
    const uncoded = () =>
      srv.ctx.db
        .selectFrom('wb_item')
        .select('id')
        .where('series_id', '=', s.id)
        .where('engine_confidence', 'is', null)
        .execute();
    for (const page of ['', '/compare', '/findings', '/review']) {
      const res = await client.request('GET', `${base}${page}`);
      expect(res.body, page).toContain('1 response is not coded yet.');
      expect(res.body, page).toContain(`action="${base}/recode"`);
    }
    expect(await uncoded()).toHaveLength(1);
    const fr = await client.request('GET', `${base}?lang=fr`);
    expect(fr.body).toContain('1 réponse n’est pas encore codée.');
    const recode = await form(client, `${base}/recode`, { back: '/review' });
    expect(recode.statusCode).toBe(303);
    expect(recode.headers.location).toBe(`${base}/review`);
    expect(await uncoded()).toEqual([]);
    const review = await client.request('GET', `${base}/review`);
    expect(review.body).not.toContain('not coded yet');
    expect(review.body).toMatch(/action="[^"]+\/review\/[^"]+"/);
  });
});
