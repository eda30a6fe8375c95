// Overview page: sources, live refresh, imports with preview, job progress, agreement, exports.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { importQdpx } from './import.qda.ts';
import { previewImportInWorker } from './import.worker.ts';
import { MAX_IMPORT_BYTES } from './import.bounds.ts';
import { dropUpload, findUpload, keepUpload } from './uploads.ts';
import { readMultipart } from '../../server/multipart.ts';
import { html, raw, type Html } from '../../lib/html.ts';
import { toAppError } from '../../server/errors.ts';
import { csrfField, field } from '../../server/layout.ts';
import { inTransaction } from '../../server/tx.ts';
import { regionsOf } from '../series/index.ts';
import { exportButtons } from './exports.pages.ts';
import {
  importSource,
  MAPPED_FIELDS,
  previewImport,
  type ColumnMapping,
  type ImportConstants,
} from './sources.import.ts';
import { IMPORT_KINDS, type ImportKind } from './sources.parse.ts';
import { refreshFromLive } from './sources.live.ts';
import {
  agreement,
  canCode,
  codingReady,
  codingStatus,
  engineFor,
  ensureFreshLabels,
  latestJob,
  viewableSeries,
  codableSeries,
  type CodingStatus,
  type SeriesRow,
} from './workbench.service.ts';
import { allThemes, countOfSeries, sourcesWithCounts } from './workbench.repository.ts';
import { sendHtml, wbPage, wbPath } from './workbench.view.ts';
import { messages } from './messages/index.ts';
import { rowErrorText } from './row-errors.ts';
import { fmt } from '../../lib/format.ts';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const NOTICES = {
  refreshed: 'notice.refreshed',
  imported: 'notice.imported',
  coding: 'notice.coding',
} as const;
const noticeText = (lang: string, key: string | undefined): string | undefined =>
  key && key in NOTICES ? messages.t(lang)(NOTICES[key as keyof typeof NOTICES]) : undefined;

/** Where the "Code now" form may send the reader back to (a workbench page). */
const BACK = ['', '/review', '/compare', '/quotes', '/findings'] as const;

/** What the page says when coding has not run or is out of date, with the POST that starts it for coders. */
function codingNotice(req: FastifyRequest, seriesId: string, status: CodingStatus, back: string): Html {
  if (!status.units || codingReady(status)) return html``;
  const t = messages.t(req.lang);
  return html`<div class="notice" role="status" id="coding-status">
    ${status.uncoded ? html`<p>${t('coding.uncoded', { count: status.uncoded })}</p>` : ''}
    ${status.stale ? html`<p>${t('coding.stale')}</p>` : ''}
    ${!status.uncoded && !status.stale ? html`<p>${t('coding.untrained')}</p>` : ''}
    ${
      req.actor && canCode(req.actor, seriesId)
        ? html`<form method="post" action="${wbPath(seriesId)}/recode">
            ${csrfField(req)}<input type="hidden" name="back" value="${back}" />
            <button type="submit" class="secondary">${t('coding.start')}</button>
          </form>`
        : ''
    }
  </div>`;
}

/**
 * Progress of the running coding job, with a no-JS refresh of the page while it runs; with the request,
 * also the state of coding when none runs (responses not coded yet, an older codebook) and the button
 * that starts it. Reads only: looking at a page never starts coding.
 */
export async function jobBanner(
  app: FastifyInstance,
  seriesId: string,
  lang = 'en',
  page?: { req: FastifyRequest; back?: string },
): Promise<{ banner: Html; head?: Html }> {
  const t = messages.t(lang);
  const job = await latestJob(app.ctx.db, seriesId);
  if (!job || !['queued', 'running', 'retrying'].includes(job.status)) {
    const notice = page
      ? codingNotice(page.req, seriesId, await codingStatus(app.ctx.db, seriesId), page.back ?? '')
      : html``;
    return {
      banner: html`${
        job?.status === 'failed'
          ? html`<p class="alert" role="alert">${t('job.failed', { error: job.error ?? '' })}</p>`
          : ''
      }${notice}`,
    };
  }
  return {
    head: html`<meta http-equiv="refresh" content="3" />`,
    banner: html`<div class="notice" role="status" data-job="${wbPath(seriesId)}/jobs/${job.id}">
      <p>
        ${
          job.status === 'queued'
            ? t('job.queued')
            : t('job.progress', { done: job.done, total: job.total || '…' })
        }
      </p>
      ${job.status === 'retrying' ? html`<p>${t('job.retrying', { error: job.error ?? '' })}</p>` : ''}
      <progress max="${Math.max(1, job.total)}" value="${job.done}">
        ${job.total ? Math.round((100 * job.done) / job.total) : 0}%
      </progress>
    </div>`,
  };
}

function previewPage(
  req: FastifyRequest,
  s: SeriesRow,
  v: { kind: ImportKind; name: string; upload: string; mapping: ColumnMapping; constants: ImportConstants },
  p: Awaited<ReturnType<typeof previewImport>>,
  error?: string,
): string {
  const t = messages.t(req.lang);
  const options = [{ value: '', label: t('preview.none') }, ...p.header.map((h) => ({ value: h, label: h }))];
  const labels: Record<string, string> = {
    text: t('export.unit.text'),
    id: t('export.unit.external_id'),
    region: t('export.unit.region'),
    kind: t('export.unit.prompt_kind'),
    date: t('preview.date'),
    session: t('export.unit.session'),
    language: t('export.unit.language'),
    career_stage: t('export.unit.career_stage'),
    speaker: t('export.unit.speaker'),
  };
  return wbPage(
    req,
    s,
    '',
    t('preview.title'),
    html`
      ${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
      <p>
        ${t('preview.summary', { name: v.name || v.kind, total: p.total, ready: p.rows.length })}
        ${p.errors.length ? html`<strong>${t('preview.failed', { failed: p.errors.length })}</strong>` : ''}
      </p>
      <form method="post" action="${wbPath(s.id)}/import" enctype="multipart/form-data">
        ${csrfField(req)}
        <input type="hidden" name="kind" value="${v.kind}" /><input
          type="hidden"
          name="name"
          value="${v.name}"
        />
        <input type="hidden" name="upload" value="${v.upload}" />
        <fieldset>
          <legend>${t('preview.columns')}</legend>
          <div class="grid">
            ${MAPPED_FIELDS.map((f) => field(`map_${f}`, labels[f], { value: v.mapping[f] ?? '', options }))}
          </div>
        </fieldset>
        <fieldset>
          <legend>${t('preview.constants')}</legend>
          <div class="grid">
            ${field('const_region', labels.region, { value: v.constants.region ?? '' })}${field('const_kind', labels.kind, { value: v.constants.kind ?? '', hint: 'best_practice, recommendation, need…' })}
            ${field('const_session', labels.session, { value: v.constants.session ?? '' })}${field('const_language', labels.language, { value: v.constants.language ?? '', hint: t('preview.languageHint') })}
            ${field('const_date', labels.date, { value: v.constants.date ?? '', type: 'date' })}
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit" name="step" value="preview" class="secondary">${t('preview.update')}</button>
          <button type="submit" name="step" value="commit">${t('preview.commit', { count: p.rows.length })}</button>
        </div>
      </form>
      <h2>${t('preview.first')}</h2>
      <div style="overflow-x:auto">
        <table>
          <caption class="vh">
            ${t('preview.caption')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${labels.id}</th>
              <th scope="col">${labels.text}</th>
              <th scope="col">${labels.region}</th>
              <th scope="col">${labels.kind}</th>
              <th scope="col">${labels.language}</th>
              <th scope="col">${labels.career_stage}</th>
              <th scope="col">${labels.date}</th>
              <th scope="col">${labels.speaker}</th>
            </tr>
          </thead>
          <tbody>
            ${p.preview.map(
              (r) =>
                html`<tr>
                  <td>${r.external_id}</td>
                  <td>${r.text}</td>
                  <td>${r.region ?? ''}</td>
                  <td>${r.prompt_kind ?? ''}</td>
                  <td>${r.language ?? ''}</td>
                  <td>${r.career_stage ?? ''}</td>
                  <td>${r.submitted_at ?? ''}</td>
                  <td>${r.speaker ?? ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${
        p.errors.length
          ? html`<h2>${t('preview.errors')}</h2>
              <ul class="import-errors">
                ${p.errors
                  .slice(0, 200)
                  .map(
                    (e) => html`<li>${t('preview.line', { line: e.line, message: rowErrorText(t, e) })}</li>`,
                  )}
              </ul>`
          : ''
      }
    `,
  );
}

/** Overview page and its form actions. */
export async function overviewPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const log = (e: unknown) => app.log.error({ err: e }, 'workbench job failed');

  const overview = async (
    req: FastifyRequest,
    id: string,
    notice?: string,
    error?: string,
  ): Promise<string> => {
    const s = await viewableSeries(db, req.actor, id);
    // GET reads only: new live answers come in through POST …/refresh, coding starts with a POST.
    const { banner, head } = await jobBanner(app, s.id, req.lang, { req });
    const sources = await sourcesWithCounts(db, s.id);
    const total = sources.reduce((a, x) => a + x.n, 0);
    const decisions = await countOfSeries(db, 'wb_coding', s.id);
    const themes = await allThemes(db, s.id);
    const label = new Map(themes.map((t) => [t.key, t.label]));
    const agree = await agreement(db, s.id);
    const peopleBy = new Map(agree.people.map((a) => [a.themeKey, a]));
    const f0 = fmt(req.lang);
    const two = (x: number | null) =>
      x === null ? '–' : f0.number(x, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const coder = canCode(req.actor, s.id);
    const t = messages.t(req.lang);
    return wbPage(
      req,
      s,
      '',
      t('frame.crumb'),
      html`
        ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
        ${banner}
        <p>
          ${t('overview.summary', {
            total,
            sources: sources.length,
            decisions,
            themes: themes.filter((x) => !x.merged_into).length,
          })}
        </p>
        <h2 id="sources">${t('overview.sources')}</h2>
        <div class="table-scroll" role="region" aria-labelledby="sources" tabindex="0">
        <table>
          <caption class="vh">
            ${t('overview.sourcesCaption')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('overview.col.source')}</th>
              <th scope="col">${t('overview.col.kind')}</th>
              <th scope="col">${t('overview.col.responses')}</th>
              <th scope="col">${t('overview.col.added')}</th>
            </tr>
          </thead>
          <tbody>
            ${sources.map(
              (x) =>
                html`<tr>
                  <td data-user-content>${x.name}</td>
                  <td>${messages.lookup(req.lang, `source.${x.kind}`) ?? x.kind}</td>
                  <td>${f0.number(Number(x.n))}</td>
                  <td>${f0.dateTime(x.created_at, 'UTC', { zone: true })}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        </div>
        ${
          coder
            ? html` <form method="post" action="${wbPath(s.id)}/refresh">
                  ${csrfField(req)}<button type="submit" class="secondary">${t('overview.refresh')}</button>
                </form>
                <h2 id="import">${t('overview.import')}</h2>
                <form
                  method="post"
                  action="${wbPath(s.id)}/import"
                  enctype="multipart/form-data"
                  class="import-form"
                >
                  ${csrfField(req)}<input type="hidden" name="step" value="preview" />
                  <div class="row">
                    ${field('file', t('overview.file'), { type: 'file', required: true, attrs: raw('accept=".csv,.xlsx,.vtt,.srt,.txt,text/csv"') })}
                    ${field('kind', t('overview.col.kind'), {
                      value: 'csv',
                      options: (['csv', 'xlsx', 'vtt', 'srt', 'chat'] as const).map((k) => ({
                        value: k,
                        label: t(`import.${k}`),
                      })),
                    })}
                    ${field('name', t('overview.name'), { hint: t('overview.optional') })}
                  </div>
                  <button type="submit">${t('overview.preview')}</button>
                </form>
                <h2 id="import-qdpx">${t('overview.qda')}</h2>
                <p class="hint">${t('overview.qdaHint')}</p>
                <form method="post" action="${wbPath(s.id)}/import-qdpx" enctype="multipart/form-data">
                  ${csrfField(req)}
                  ${field('file', t('overview.qdaFile'), { id: 'qdpx-file', type: 'file', required: true, attrs: raw('accept=".qdpx,application/zip"') })}
                  <button type="submit">${t('overview.qdaImport')}</button>
                </form>`
            : ''
        }
        <h2 id="agreement">${t('overview.agreement')}</h2>
        <p class="hint">${t('overview.agreementHint')}</p>
        ${
          agree.engine.length
            ? html`<table>
                <caption class="vh">
                  ${t('overview.agreementCaption')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('overview.col.theme')}</th>
                    <th scope="col">${t('overview.col.decisions')}</th>
                    <th scope="col">${t('overview.col.kappaEP')}</th>
                    <th scope="col">${t('overview.col.alphaEP')}</th>
                    <th scope="col">${t('overview.col.kappaPP')}</th>
                    <th scope="col">${t('overview.col.alphaPP')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${agree.engine.map(
                    (a) =>
                      html`<tr>
                        <th scope="row">${label.get(a.themeKey) ?? a.themeKey}</th>
                        <td>${f0.number(a.units)}</td>
                        <td>${two(a.kappa)}</td>
                        <td>${two(a.alpha)}</td>
                        <td>${two(peopleBy.get(a.themeKey)?.kappa ?? null)}</td>
                        <td>${two(peopleBy.get(a.themeKey)?.alpha ?? null)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : html`<p>${t('overview.noDecisions')}</p>`
        }
        <h2 id="exports">${t('overview.exports')}</h2>
        ${exportButtons(req, s.id)}
      `,
      { head },
    );
  };

  app.get('/console/series/:id/workbench', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as { notice?: string };
    return sendHtml(
      reply,
      await overview(req, (req.params as { id: string }).id, noticeText(req.lang, q.notice)),
    );
  });

  app.post('/console/series/:id/workbench/refresh', { schema: { hide: true } }, async (req, reply) => {
    const s = await codableSeries(db, req.actor, (req.params as { id: string }).id);
    await inTransaction(db, (trx) => refreshFromLive(trx, s.id));
    await ensureFreshLabels(db, s.id, log);
    return reply.redirect(`${wbPath(s.id)}?notice=refreshed`, 303);
  });

  const upload = { schema: { hide: true }, config: { multipart: { fileBytes: MAX_IMPORT_BYTES } } };
  app.post(
    '/console/series/:id/workbench/import',
    upload,
    async (req: FastifyRequest, reply: FastifyReply) => {
      const s = await codableSeries(db, req.actor, (req.params as { id: string }).id);
      const accountId = req.actor!.accountId;
      const form = await readMultipart(req);
      const b = form.fields;
      const kind = (IMPORT_KINDS as readonly string[]).includes(str(b.kind))
        ? (str(b.kind) as ImportKind)
        : 'csv';
      const file = form.file?.data.length ? form.file.data : null;
      if (!file && !str(b.upload))
        return sendHtml(
          reply,
          await overview(req, s.id, undefined, messages.t(req.lang)('import.chooseFile')),
          422,
        );
      let data: Buffer;
      try {
        data = file ?? (await findUpload(db, str(b.upload), s.id, accountId));
      } catch (e) {
        const err = toAppError(e);
        return sendHtml(reply, await overview(req, s.id, undefined, err.message), err.status);
      }
      const mapping: ColumnMapping = {};
      for (const f of MAPPED_FIELDS) if (str(b[`map_${f}`])) mapping[f] = str(b[`map_${f}`]);
      const constants: ImportConstants = {};
      for (const f of ['region', 'kind', 'session', 'language', 'date'] as const)
        if (str(b[`const_${f}`]).trim()) constants[f] = str(b[`const_${f}`]).trim();
      const name = str(b.name) || `${kind.toUpperCase()} import`;
      const p = await previewImportInWorker(
        kind,
        data,
        file ? undefined : mapping,
        constants,
        await regionsOf(db, s.id),
      );
      // The file waits on the server; the preview page posts back its id, never its content.
      const uploadId = file
        ? await keepUpload(db, { seriesId: s.id, accountId, kind, name, data })
        : str(b.upload);
      const v = { kind, name, upload: uploadId, mapping: p.mapping, constants };
      if (str(b.step) !== 'commit') return sendHtml(reply, previewPage(req, s, v, p));
      try {
        const r = await inTransaction(db, async (trx) => {
          const out = await importSource(trx, s.id, {
            kind,
            name,
            data,
            mapping: p.mapping,
            constants,
            preview: p,
          });
          await dropUpload(trx, uploadId);
          return out;
        });
        await engineFor(db, s.id, (e) => app.log.error({ err: e }, 'workbench job failed'));
        return sendHtml(
          reply,
          await overview(
            req,
            s.id,
            messages.t(req.lang)('import.done', { added: r.added, name, failed: r.errors.length }),
          ),
        );
      } catch (e) {
        const err = toAppError(e);
        if (err.status >= 500 || err.status === 401) throw e;
        return sendHtml(reply, previewPage(req, s, v, p, err.message), err.status);
      }
    },
  );

  app.post('/console/series/:id/workbench/import-qdpx', upload, async (req, reply) => {
    const s = await codableSeries(db, req.actor, (req.params as { id: string }).id);
    const data = (await readMultipart(req)).file?.data;
    if (!data?.length)
      return sendHtml(
        reply,
        await overview(req, s.id, undefined, messages.t(req.lang)('import.chooseQdpx')),
        422,
      );
    try {
      const r = await inTransaction(db, (trx) => importQdpx(trx, req.actor, s.id, data));
      await engineFor(db, s.id, log);
      const t = messages.t(req.lang);
      const skipped = r.skipped.length
        ? t('qdpx.skipped', { list: r.skipped.map((x) => `${x.source} (${x.reason})`).join('; ') })
        : '';
      return sendHtml(
        reply,
        await overview(
          req,
          s.id,
          t('qdpx.done', {
            added: r.codings.added,
            unchanged: r.codings.unchanged,
            responses: r.sources.matched + r.sources.byText,
            matched: r.codes.matched,
            created: r.codes.added.length,
            names: r.codes.added.length ? ` (${r.codes.added.join(', ')})` : '',
          }) + skipped,
        ),
      );
    } catch (e) {
      const err = toAppError(e);
      if (err.status >= 500 || err.status === 401) throw e;
      return sendHtml(reply, await overview(req, s.id, undefined, err.message), err.status);
    }
  });

  app.post('/console/series/:id/workbench/recode', { schema: { hide: true } }, async (req, reply) => {
    const s = await codableSeries(db, req.actor, (req.params as { id: string }).id);
    const asked = str((req.body as Record<string, unknown> | undefined)?.back);
    const back = (BACK as readonly string[]).includes(asked) ? asked : '';
    // Small series are coded within this request, large ones by the background job the page then shows.
    const { jobId } = await engineFor(db, s.id, log);
    return reply.redirect(`${wbPath(s.id)}${back}${jobId && !back ? '?notice=coding' : ''}`, 303);
  });
}
