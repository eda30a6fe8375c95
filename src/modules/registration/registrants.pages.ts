/** Coordinators' registrant tools: lists with filters, CSV/XLSX export, and writing to registrants. */
import ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { countryName } from '../../lib/countries.ts';
import { notFound } from '../../lib/errors.ts';
import { html } from '../../lib/html.ts';
import { escapeFormula } from '../../lib/tabular.ts';
import { formAction, formAlert, savedNotice, sendPage, type FormBody } from '../../server/forms.ts';
import { csrfField, field, page } from '../../server/layout.ts';
import { authorize, canEditSession, canManageSeries, requireActor } from '../accounts/index.ts';
import { stringifyCsv } from '../analysis/index.ts';
import { findSeries, findSession, regionsOf, SERIES_NAV_STYLE, seriesNav } from '../series/index.ts';
import {
  checkMessage,
  filterFromQuery,
  listRegistrants,
  sentMessages,
  writeToRegistrants,
  type Registrant,
  type RegistrantFilter,
} from './registrants.ts';

const COLUMNS = [
  'name',
  'email',
  'country',
  'affiliation',
  'language',
  'status',
  'session',
  'region',
  'attended_minutes',
  'registered_at',
];
const cells = (r: Registrant): (string | number | null)[] => [
  r.name,
  r.email,
  r.country,
  r.affiliation,
  r.language,
  r.status,
  r.session_title,
  r.region_name ?? '',
  r.attended_minutes,
  r.created_at,
];
const one = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');
const langName = (l: string) => new Intl.DisplayNames(['en'], { type: 'language' }).of(l) ?? l;

/** Where the list is: a whole series (coordinators) or one session (also its region's co-organiser). */
async function scopeOf(req: FastifyRequest, kind: 'series' | 'session', id: string) {
  const db = req.server.ctx.db;
  const actor = requireActor(req.actor);
  if (kind === 'session') {
    const session = await findSession(db, id);
    if (!session) throw notFound('This session', 'id');
    authorize(
      actor,
      canEditSession(actor, session.series_id, session.region_id),
      'Only the coordinators and the region’s co-organiser see its registrants.',
    );
    const series = (await findSeries(db, session.series_id))!;
    return { series, session, base: `/console/sessions/${session.id}/registrants` };
  }
  const series = await findSeries(db, id);
  if (!series) throw notFound('This series', 'id');
  authorize(actor, canManageSeries(actor, series.id), 'Only coordinators see all registrants of a series.');
  return { series, session: null, base: `/console/series/${series.id}/registrants` };
}

const qs = (f: RegistrantFilter) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v && k !== 'sessionId') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

/** The registrants' pages of the console. */
export async function registrantPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  const listPage = async (req: FastifyRequest, kind: 'series' | 'session', id: string) => {
    const { series, session, base } = await scopeOf(req, kind, id);
    const f = { ...filterFromQuery(req.query as Record<string, unknown>), sessionId: session?.id };
    const rows = await listRegistrants(db, series.id, f, 2000);
    const regions = await regionsOf(db, series.id);
    const title = session ? `Registrants of ${session.title}` : 'Registrants';
    return page(
      req,
      { title: `${title} · ${series.title}`, head: SERIES_NAV_STYLE },
      html`${seriesNav(req.actor, series, 'registration')}
        <h1>${title}</h1>
        ${savedNotice(req, {
          sent: 'The message is on its way: each person’s mail is sent in the background. The list of who gets what, with each mail’s status, is below.',
        })}
        <form method="get" action="${base}" class="row">
          ${field('status', 'Status', { value: f.status ?? '', options: [{ value: '', label: 'Any' }, ...['confirmed', 'waitlisted', 'cancelled', 'attended'].map((s) => ({ value: s, label: s[0].toUpperCase() + s.slice(1) }))] })}
          ${field('language', 'Language', { value: f.language ?? '', options: [{ value: '', label: 'Any' }, ...['ar', 'zh', 'en', 'fr', 'de', 'ru', 'es'].map((l) => ({ value: l, label: langName(l) }))] })}
          ${field('country', 'Country code', { value: f.country ?? '', hint: 'e.g. NG' })}
          ${session ? '' : field('region', 'Region', { value: f.region ?? '', options: [{ value: '', label: 'Any' }, ...regions.map((r) => ({ value: r.key, label: r.name }))] })}
          ${field('attended', 'Attended', {
            value: f.attended ?? '',
            options: [
              { value: '', label: 'Any' },
              { value: 'yes', label: 'Yes' },
              { value: 'no', label: 'No' },
            ],
          })}
          <button type="submit">Filter</button>
        </form>
        <p class="links">
          <a href="${base}/export.csv${qs(f)}">Export as CSV</a>
          <a href="${base}/export.xlsx${qs(f)}">Export as XLSX</a>
          ${rows.length ? html`<a href="${base}/write${qs(f)}">Write to these registrants</a>` : ''}
        </p>
        <p>${rows.length} ${rows.length === 1 ? 'registration' : 'registrations'}</p>
        ${
          rows.length
            ? html`<div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>Name</th>
                    <th>E-mail</th>
                    <th>Country</th>
                    <th>Language</th>
                    <th>Status</th>
                    ${session ? '' : html`<th>Session</th>`}
                    <th>Attended (min)</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(
                    (r) =>
                      html`<tr>
                        <td>${r.name}</td>
                        <td>${r.email}</td>
                        <td>${r.country ? countryName(r.country, 'en') : ''}</td>
                        <td>${langName(r.language)}</td>
                        <td>${r.status}</td>
                        ${session ? '' : html`<td>${r.session_title}${r.region_name ? ` (${r.region_name})` : ''}</td>`}
                        <td>${r.attended_minutes ?? ''}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
            : html`<p>
              No registrations match. ${Object.keys(qs(f)).length ? html`<a href="${base}">Show everyone</a>.` : ''}
              People register from the public page of the series
              (<a href="/series/${series.slug}/register">registration form</a>).
            </p>`
        }
        ${
          kind === 'series'
            ? await (async () => {
                const sent = await sentMessages(db, series.id, 100);
                return sent.length
                  ? html`<h2 id="sent">Messages sent</h2>
                    <ul>
                      ${sent.map(
                        (m) =>
                          html`<li>${m.created_at.slice(0, 16).replace('T', ' ')} · ${m.subject} → ${m.email}
                            <span class="badge">${m.status}</span></li>`,
                      )}
                    </ul>`
                  : '';
              })()
            : ''
        }
        `,
    );
  };

  const exportRows = async (
    req: FastifyRequest,
    reply: FastifyReply,
    kind: 'series' | 'session',
    format: string,
  ) => {
    const { series, session } = await scopeOf(req, kind, (req.params as { id: string }).id);
    const f = { ...filterFromQuery(req.query as Record<string, unknown>), sessionId: session?.id };
    const rows = await listRegistrants(db, series.id, f);
    const name = `registrants-${series.slug}${session ? '-session' : ''}`;
    // Personal data: never kept by a browser or a proxy cache.
    void reply.header('cache-control', 'no-store');
    if (format === 'csv') {
      const csv = stringifyCsv(
        COLUMNS,
        rows.map((r) => cells(r).map((c) => (c === null ? '' : escapeFormula(String(c))))),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(`\uFEFF${csv}`);
    }
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Colloquy';
    const ws = wb.addWorksheet('Registrants');
    ws.addRow(COLUMNS);
    ws.getRow(1).font = { bold: true };
    // A text cell of XLSX is never run as a formula: the values go in as they are.
    for (const r of rows) ws.addRow(cells(r));
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}.xlsx"`)
      .send(Buffer.from(await wb.xlsx.writeBuffer()));
  };

  const writePage = async (
    req: FastifyRequest,
    kind: 'series' | 'session',
    id: string,
    v: FormBody = {},
    errors: Record<string, string> = {},
  ) => {
    const { series, session, base } = await scopeOf(req, kind, id);
    const f = { ...filterFromQuery(req.query as Record<string, unknown>), sessionId: session?.id };
    const rows = await listRegistrants(db, series.id, f);
    const people = new Set(rows.filter((r) => Number(r.messages_off) !== 1).map((r) => r.email)).size;
    const languages = JSON.parse(series.languages) as string[];
    return page(
      req,
      { title: `Write to registrants · ${series.title}`, head: SERIES_NAV_STYLE },
      html`${seriesNav(req.actor, series, 'registration')}
        <h1>Write to registrants</h1>
        <p>
          To <strong>${people}</strong> ${people === 1 ? 'person' : 'people'}
          ${session ? html`of ${session.title}` : ''} (<a href="${base}${qs(f)}">the filtered list</a>). Each
          person gets the message in their language when you write it, otherwise in the first language you
          wrote, with a link to stop these messages.
        </p>
        ${formAlert(
          errors,
          Object.fromEntries(
            languages.flatMap((l) => [
              [`subject_${l}`, `Subject (${langName(l)})`],
              [`body_${l}`, `Text (${langName(l)})`],
            ]),
          ),
        )}
        <form method="post" action="${base}/write${qs(f)}" novalidate>
          ${csrfField(req)}
          ${languages.map(
            (l) =>
              html`<fieldset>
                <legend>${langName(l)}</legend>
                ${field(`subject_${l}`, `Subject (${langName(l)})`, { value: one(v[`subject_${l}`]), errors })}
                ${field(`body_${l}`, `Text (${langName(l)})`, { value: one(v[`body_${l}`]), errors, textarea: true })}
              </fieldset>`,
          )}
          <button type="submit">Send to ${people} ${people === 1 ? 'person' : 'people'}</button>
        </form>`,
    );
  };

  for (const kind of ['series', 'session'] as const) {
    const prefix = kind === 'series' ? '/console/series/:id' : '/console/sessions/:id';
    app.get(`${prefix}/registrants`, { schema: { hide: true } }, async (req, reply) =>
      sendPage(reply, await listPage(req, kind, (req.params as { id: string }).id)),
    );
    app.get(`${prefix}/registrants/export.csv`, { schema: { hide: true } }, (req, reply) =>
      exportRows(req, reply, kind, 'csv'),
    );
    app.get(`${prefix}/registrants/export.xlsx`, { schema: { hide: true } }, (req, reply) =>
      exportRows(req, reply, kind, 'xlsx'),
    );
    app.get(`${prefix}/registrants/write`, { schema: { hide: true } }, async (req, reply) =>
      sendPage(reply, await writePage(req, kind, (req.params as { id: string }).id)),
    );
    app.post(`${prefix}/registrants/write`, { schema: { hide: true } }, async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const b = (req.body ?? {}) as FormBody;
      return formAction(
        reply,
        async () => {
          const { series, session, base } = await scopeOf(req, kind, id);
          const languages = JSON.parse(series.languages) as string[];
          const texts = checkMessage(
            languages,
            Object.fromEntries(
              languages.map((l) => [l, { subject: one(b[`subject_${l}`]), body: one(b[`body_${l}`]) }]),
            ),
          );
          const f = { ...filterFromQuery(req.query as Record<string, unknown>), sessionId: session?.id };
          await writeToRegistrants(db, {
            seriesId: series.id,
            seriesTitle: series.title,
            sentBy: requireActor(req.actor).accountId,
            recipients: await listRegistrants(db, series.id, f),
            texts,
          });
          return kind === 'series' ? `${base}?saved=sent#sent` : `${base}?saved=sent`;
        },
        (e) => writePage(req, kind, id, b, e),
      );
    });
  }
}
