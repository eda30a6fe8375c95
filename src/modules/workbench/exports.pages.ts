// The export buttons (a POST form that starts an export job) and the exports page of a series, which
// lists recent exports and refreshes itself (no JavaScript needed) while one is being built.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { html, type Html } from '../../lib/html.ts';
import { fmt } from '../../lib/format.ts';
import { SUPPORTED } from '../../lib/i18n.ts';
import { csrfField } from '../../server/layout.ts';
import type { Filters } from './compare.service.ts';
import { EXPORT_FORMATS } from './export.ts';
import { exportTtlMs, recentExports, startExport, type ExportRow } from './export.job.ts';
import { messages } from './messages/index.ts';
import { cleanFilters, FiltersQuery, parseInput } from './workbench.schema.ts';
import { viewableSeries } from './workbench.service.ts';
import { sendHtml, wbPage, wbPath } from './workbench.view.ts';

const ACTIVE = ['queued', 'running', 'retrying'];
const FILTER_KEYS = ['session', 'careerStage', 'language', 'asOf'] as const;

/** The export form of the console: one button per format, with the filters of the page it is on. */
export function exportButtons(req: FastifyRequest, seriesId: string, filters: Filters = {}): Html {
  const t = messages.t(req.lang);
  return html`<form method="post" action="${wbPath(seriesId)}/exports" class="exports">
    ${csrfField(req)}
    ${FILTER_KEYS.map((k) => (filters[k] ? html`<input type="hidden" name="${k}" value="${filters[k]}" />` : ''))}
    ${EXPORT_FORMATS.map(
      (f) =>
        html`<button type="submit" name="format" value="${f}" class="secondary">${t(`format.${f}`)}</button>`,
    )}
  </form>
  <p class="hint">${t('exports.buttonsHint')} <a href="${wbPath(seriesId)}/exports">${t('exports.listLink')}</a></p>`;
}

/** The console's export form: a format, the filters, optionally the language of the file. */
const ExportForm = FiltersQuery.omit({ kind: true }).extend({
  format: z.enum(EXPORT_FORMATS),
  lang: z.enum(SUPPORTED).optional(),
});

const NOTICES = ['started', 'reused'] as const;

/** A file size in the reader's language (kB or MB). */
function sizeText(lang: string, bytes: number): string {
  const mb = bytes >= 1024 * 1024;
  return fmt(lang).number(bytes / (mb ? 1024 * 1024 : 1024), {
    style: 'unit',
    unit: mb ? 'megabyte' : 'kilobyte',
    maximumFractionDigits: 1,
  });
}

function exportItem(req: FastifyRequest, e: ExportRow): Html {
  const t = messages.t(req.lang);
  const f = fmt(req.lang);
  const filters = JSON.parse(e.filters) as Filters;
  const used = FILTER_KEYS.filter((k) => filters[k]);
  const status =
    e.status === 'running' && e.phase === 'building' && e.units !== null
      ? t('exports.phase.building', { units: Number(e.units) })
      : e.status === 'running'
        ? t('exports.phase.loading')
        : messages.t(req.lang)(`exports.status.${e.status as 'queued'}`);
  return html`<li data-export="${e.id}" data-status="${e.status}">
    <h3>${t(`format.${e.format as 'csv'}`)}</h3>
    <p class="${e.status === 'failed' ? 'bad' : e.status === 'done' ? 'ok' : ''}" role="status">${status}</p>
    ${e.status === 'failed' && e.error ? html`<p class="meta">${t('exports.failedDetail')} <span data-user-content>${e.error}</span></p>` : ''}
    <p class="meta">
      ${
        used.length
          ? html`${t('filter.label')}:
            ${used.map((k) => html`<span class="pill">${t(`filter.${k}`)}: <span data-user-content>${filters[k]}</span></span>`)}`
          : t('exports.allResponses')
      }
    </p>
    <p class="meta">
      ${t('exports.requested', { when: f.dateTime(e.created_at, 'UTC', { zone: true }) })}
      ${e.expires_at ? html`· ${t('exports.expires', { when: f.dateTime(e.expires_at, 'UTC', { zone: true }) })}` : ''}
      ${e.size !== null ? html`· ${t('exports.size', { size: sizeText(req.lang, Number(e.size)) })}` : ''}
    </p>
    ${
      e.status === 'done'
        ? html`<p>
            <a class="button" href="/api/series/${e.series_id}/workbench/exports/${e.id}/file" download
              >${t('exports.download', { format: t(`format.${e.format as 'csv'}`) })}</a
            >
          </p>`
        : ''
    }
  </li>`;
}

/** POST …/workbench/exports (starts a job, 303 to the list) and GET …/workbench/exports (the list). */
export async function exportsPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const log = (e: unknown) => app.log.error({ err: e }, 'workbench export failed');

  app.post('/console/series/:id/workbench/exports', { schema: { hide: true } }, async (req, reply) => {
    const s = await viewableSeries(db, req.actor, (req.params as { id: string }).id);
    const form = parseInput(ExportForm, req.body ?? {});
    const { reused } = await startExport(
      db,
      s.id,
      {
        format: form.format,
        filters: cleanFilters(form),
        lang: form.lang ?? req.lang,
        requestedBy: req.actor?.accountId ?? null,
      },
      log,
    );
    return reply.redirect(`${wbPath(s.id)}/exports?notice=${reused ? 'reused' : 'started'}`, 303);
  });

  app.get('/console/series/:id/workbench/exports', { schema: { hide: true } }, async (req, reply) => {
    const s = await viewableSeries(db, req.actor, (req.params as { id: string }).id);
    const t = messages.t(req.lang);
    const list = await recentExports(db, s.id);
    const asked = (req.query as { notice?: string }).notice;
    const notice = (NOTICES as readonly string[]).includes(asked ?? '')
      ? t(`exports.notice.${asked as 'started'}`)
      : undefined;
    const building = list.some((e) => ACTIVE.includes(e.status));
    return sendHtml(
      reply,
      wbPage(
        req,
        s,
        '/exports',
        t('exports.title'),
        html`
          ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
          <p>${t('exports.intro', { hours: Math.round(exportTtlMs() / 3_600_000) })}</p>
          ${
            list.length
              ? html`<ul class="queue" aria-label="${t('exports.title')}">
                  ${list.map((e) => exportItem(req, e))}
                </ul>`
              : html`<p>${t('exports.none')}</p>`
          }
          <h2>${t('exports.new')}</h2>
          ${exportButtons(req, s.id)}
        `,
        // While a file is being built the page refreshes itself: it works without JavaScript.
        { head: building ? html`<meta http-equiv="refresh" content="2" />` : undefined },
      ),
    );
  });
}
