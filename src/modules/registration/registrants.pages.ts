/** Coordinators' registrant tools: lists with filters, CSV/XLSX export, and writing to registrants. */
import ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { countryName } from '../../lib/countries.ts';
import { notFound } from '../../lib/errors.ts';
import { fmt } from '../../lib/format.ts';
import { html } from '../../lib/html.ts';
import { SUPPORTED } from '../../lib/i18n.ts';
import { escapeFormula } from '../../lib/tabular.ts';
import { formAction, formAlert, savedNotice, sendPage, type FormBody } from '../../server/forms.ts';
import { csrfField, field, page } from '../../server/layout.ts';
import { authorize, canEditSession, canManageSeries, requireActor } from '../accounts/index.ts';
import { stringifyCsv } from '../analysis/index.ts';
import {
  findSeries,
  findSession,
  regionNamer,
  regionsOf,
  SERIES_NAV_STYLE,
  seriesNav,
} from '../series/index.ts';
import {
  checkMessage,
  filterFromQuery,
  listRegistrants,
  sentMessages,
  writeToRegistrants,
  type Registrant,
  type RegistrantFilter,
} from './registrants.ts';
import { messages } from './messages/index.ts';

type T = ReturnType<typeof messages.t>;

/** The CSV's stable machine headers (the XLSX shows a person the same columns, labelled in their language). */
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
const langName = (t: T, l: string) => new Intl.DisplayNames([t.lang], { type: 'language' }).of(l) ?? l;
/** A registration's status, or a mail's, in the reader's language. */
const statusLabel = (t: T, status: string) => messages.lookup(t.lang, `status_${status}`) ?? status;
const mailStatus = (t: T, status: string) => messages.lookup(t.lang, `console.mail_${status}`) ?? status;
/** The XLSX column labels a person reads, in the order of COLUMNS. */
const columnLabels = (t: T) => [
  t('name'),
  t('email'),
  t('country'),
  t('console.col_affiliation'),
  t('console.language'),
  t('console.status'),
  t('console.session'),
  t('console.region'),
  t('console.attended_min'),
  t('console.col_registered_at'),
];

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
    const t = messages.t(req.lang);
    const regionLabel = regionNamer(regions, t.lang);
    const title = session ? t('console.registrants_of', { title: session.title }) : t('console.registrants');
    const any = { value: '', label: t('console.any') };
    return page(
      req,
      { title: `${title} · ${series.title}`, head: SERIES_NAV_STYLE },
      html`${seriesNav(req.actor, series, 'registration', t.lang)}
        <h1>${title}</h1>
        ${savedNotice(req, { sent: t('console.sent') })}
        <form method="get" action="${base}" class="row">
          ${field('status', t('console.status'), { value: f.status ?? '', options: [any, ...['confirmed', 'waitlisted', 'cancelled', 'attended'].map((s) => ({ value: s, label: statusLabel(t, s) }))] })}
          ${field('language', t('console.language'), { value: f.language ?? '', options: [any, ...SUPPORTED.map((l) => ({ value: l, label: langName(t, l) }))] })}
          ${field('country', t('console.country_code'), { value: f.country ?? '', hint: t('console.country_code_hint') })}
          ${session ? '' : field('region', t('console.region'), { value: f.region ?? '', options: [any, ...regions.map((r) => ({ value: r.key, label: regionLabel(r.key) }))] })}
          ${field('attended', t('console.attended'), {
            value: f.attended ?? '',
            options: [
              any,
              { value: 'yes', label: t('console.yes') },
              { value: 'no', label: t('console.no') },
            ],
          })}
          <button type="submit">${t('console.filter')}</button>
        </form>
        <p class="links">
          <a href="${base}/export.csv${qs(f)}">${t('console.export_csv')}</a>
          <a href="${base}/export.xlsx${qs(f)}">${t('console.export_xlsx')}</a>
          ${rows.length ? html`<a href="${base}/write${qs(f)}">${t('console.write_link')}</a>` : ''}
        </p>
        <p>${t('console.count', { count: rows.length })}</p>
        ${
          rows.length
            ? html`<div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>${t('name')}</th>
                    <th>${t('email')}</th>
                    <th>${t('country')}</th>
                    <th>${t('console.language')}</th>
                    <th>${t('console.status')}</th>
                    ${session ? '' : html`<th>${t('console.session')}</th>`}
                    <th>${t('console.attended_min')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(
                    (r) =>
                      html`<tr>
                        <td data-user-content>${r.name}</td>
                        <td data-user-content>${r.email}</td>
                        <td data-user-content>${r.country ? countryName(r.country, t.lang) : ''}</td>
                        <td>${langName(t, r.language)}</td>
                        <td>${statusLabel(t, r.status)}</td>
                        ${session ? '' : html`<td>${r.session_title}${r.region_key ? ` (${regionLabel(r.region_key)})` : ''}</td>`}
                        <td>${r.attended_minutes ?? ''}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
            : html`<p>
              ${t('console.no_match')} ${Object.keys(qs(f)).length ? html`<a href="${base}">${t('console.show_all')}</a>.` : ''}
              ${t('console.how')} <a href="/series/${series.slug}/register">${t('console.form_link')}</a>
            </p>`
        }
        ${
          kind === 'series'
            ? await (async () => {
                const sent = await sentMessages(db, series.id, 100);
                return sent.length
                  ? html`<h2 id="sent">${t('console.messages_sent')}</h2>
                    <ul>
                      ${sent.map(
                        (m) =>
                          html`<li>${fmt(t.lang).dateTime(m.created_at)} · <span data-user-content>${m.subject}</span> → ${m.email}
                            <span class="badge">${mailStatus(t, m.status)}</span></li>`,
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
    const t = messages.t(req.lang);
    const ws = wb.addWorksheet(t('console.sheet'));
    ws.addRow(columnLabels(t));
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
    const t = messages.t(req.lang);
    const subject = (l: string) => t('console.subject', { language: langName(t, l) });
    const text = (l: string) => t('console.text', { language: langName(t, l) });
    return page(
      req,
      { title: `${t('console.write_title')} · ${series.title}`, head: SERIES_NAV_STYLE },
      html`${seriesNav(req.actor, series, 'registration', t.lang)}
        <h1>${t('console.write_title')}</h1>
        <p>
          <strong>${t('console.write_to', { count: people })}</strong>
          ${session ? t('console.write_of', { title: session.title }) : ''}
          (<a href="${base}${qs(f)}">${t('console.write_filtered')}</a>). ${t('console.write_intro')}
        </p>
        ${formAlert(
          errors,
          Object.fromEntries(
            languages.flatMap((l) => [
              [`subject_${l}`, subject(l)],
              [`body_${l}`, text(l)],
            ]),
          ),
          t('fix_these'),
        )}
        <form method="post" action="${base}/write${qs(f)}" novalidate>
          ${csrfField(req)}
          ${languages.map(
            (l) =>
              html`<fieldset>
                <legend>${langName(t, l)}</legend>
                ${field(`subject_${l}`, subject(l), { value: one(v[`subject_${l}`]), errors })}
                ${field(`body_${l}`, text(l), { value: one(v[`body_${l}`]), errors, textarea: true })}
              </fieldset>`,
          )}
          <button type="submit">${t('console.send', { count: people })}</button>
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
