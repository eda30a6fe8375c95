/** Coordinators' page: registrations, registered vs attended per session and region, report import. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../lib/errors.ts';
import { fmt } from '../../lib/format.ts';
import { html } from '../../lib/html.ts';
import { translateError } from '../../server/error-messages.ts';
import { toAppError } from '../../server/errors.ts';
import { savedNotice, savedUrl } from '../../server/forms.ts';
import { csrfField, field, page } from '../../server/layout.ts';
import { inTransaction } from '../../server/tx.ts';
import {
  authorize,
  canEditSession,
  canManageSeries,
  canViewSeries,
  requireActor,
} from '../accounts/index.ts';
import { findSeries, findSession, regionsOf } from '../series/index.ts';
import { attendanceStats, importAttendance } from './attendance.ts';
import { countryName } from '../../lib/countries.ts';
import * as repo from './registration.repository.ts';
import { SettingsBody } from './registration.schema.ts';
import { messages } from './messages/index.ts';

type T = ReturnType<typeof messages.t>;
/** A message of this catalogue for a key built at run time (a status, a kind), else the raw value. */
const label = (t: T, key: string, raw: string) => messages.lookup(t.lang, key) ?? raw;

async function consolePage(
  req: FastifyRequest,
  seriesId: string,
  notice?: string,
  error?: string,
  preview?: { sessionId: string; csv: string; result: Awaited<ReturnType<typeof importAttendance>> },
): Promise<string> {
  const db = req.server.ctx.db;
  const series = await findSeries(db, seriesId);
  if (!series) throw notFound('This series', 'id');
  authorize(requireActor(req.actor), canViewSeries(req.actor, series.id));
  const stats = await attendanceStats(db, series.id);
  const regions = await regionsOf(db, series.id);
  const manage = canManageSeries(req.actor, series.id);
  const rows = manage
    ? await db
        .selectFrom('registration')
        .selectAll()
        .where('series_id', '=', series.id)
        .orderBy('created_at')
        .limit(2000)
        .execute()
    : [];
  const offsets = await repo.reminderOffsets(db, series.id);
  const importable = stats.sessions.filter((s) =>
    canEditSession(req.actor, series.id, regions.find((r) => r.key === s.regionKey)?.id ?? null),
  );
  const t = messages.t(req.lang);
  const f = fmt(t.lang);
  const pct = (a: number, b: number) => (b ? f.percent(a / b) : '–');
  const unit = (o: number) =>
    o % 60
      ? f.number(o, { style: 'unit', unit: 'minute', unitDisplay: 'short' })
      : f.number(o / 60, { style: 'unit', unit: 'hour', unitDisplay: 'short' });
  return page(
    req,
    { title: `${t('console.reg_title')} · ${series.title}` },
    html` <p><a href="/console/series/${series.id}">${series.title}</a></p>
      <h1>${t('console.reg_heading')}</h1>
      ${manage ? html`<p><a href="/console/series/${series.id}/registrants">${t('console.reg_registrants')}</a></p>` : ''}
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : importedNotice(req, t)}${savedNotice(req, { reminders: t('console.reminders_saved') })}${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
      <p>
        ${t('console.reg_mode', {
          mode: label(t, `console.mode_${series.registration_mode}`, series.registration_mode),
          days: series.retention_days,
          list: f.list(offsets.map(unit)),
        })}
      </p>
      ${
        manage
          ? html`<form
              method="post"
              action="/console/series/${series.id}/registration-settings"
              class="no-print"
            >
              ${csrfField(req)}
              ${field('offsets', t('console.offsets'), { value: offsets.join(', ') })}
              <button type="submit" class="secondary">${t('console.save_reminders')}</button>
            </form>`
          : ''
      }
      <h2>${t('console.per_session')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">${t('console.session')}</th>
            <th scope="col">${t('console.region')}</th>
            <th scope="col">${t('console.capacity')}</th>
            <th scope="col">${t('console.registered')}</th>
            <th scope="col">${t('console.waiting')}</th>
            <th scope="col">${t('console.attended')}</th>
            <th scope="col">${t('console.rate')}</th>
            <th scope="col">${t('console.without_registering')}</th>
          </tr>
        </thead>
        <tbody>
          ${stats.sessions.map(
            (s) =>
              html`<tr>
                <td>${s.title}</td>
                <td>${s.regionName ?? ''}</td>
                <td>${s.capacity ?? '∞'}</td>
                <td>${s.registered}</td>
                <td>${s.waitlisted}</td>
                <td>${s.attended}</td>
                <td>${pct(s.attended, s.registered)}</td>
                <td>${s.attendedWithoutRegistration}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <h2>${t('console.per_region')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">${t('console.region')}</th>
            <th scope="col">${t('console.registered')}</th>
            <th scope="col">${t('console.attended')}</th>
            <th scope="col">${t('console.rate')}</th>
          </tr>
        </thead>
        <tbody>
          ${stats.regions.map(
            (r) =>
              html`<tr>
                <td>${r.regionName ?? t('console.no_region')}</td>
                <td>${r.registered}</td>
                <td>${r.attended}</td>
                <td>${pct(r.attended, r.registered)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        importable.length
          ? html`<h2>${t('console.import_title')}</h2>
              <p class="muted">${t('console.import_help')}</p>
              ${preview ? previewTable(req, t, series.id, preview) : ''}
              <form method="post" action="/console/series/${series.id}/attendance">
                ${csrfField(req)}
                ${field('sessionId', t('console.session'), { options: importable.map((s) => ({ value: s.sessionId, label: s.title })), value: preview?.sessionId })}
                ${field('csv', t('console.report_csv'), { textarea: true, required: true, value: preview?.csv })}
                <button type="submit" name="action" value="preview">${t('console.preview')}</button>
                <button type="submit" name="action" value="import">${t('console.import')}</button>
              </form>`
          : ''
      }
      ${
        manage
          ? html`<h2>${t('console.people', { count: rows.length })}</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t('name')}</th>
                    <th scope="col">${t('email')}</th>
                    <th scope="col">${t('country')}</th>
                    <th scope="col">${t('console.session')}</th>
                    <th scope="col">${t('console.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(
                    (r) =>
                      html`<tr>
                        <td data-user-content>${r.name}</td>
                        <td data-user-content>${r.email}</td>
                        <td data-user-content>${countryName(r.country, t.lang)}</td>
                        <td>${stats.sessions.find((s) => s.sessionId === r.session_id)?.title ?? ''}</td>
                        <td>${label(t, `status_${r.status}`, r.status)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
          : ''
      }`,
  );
}

const COUNTS = ['rows', 'people', 'matched', 'unmatched', 'merged', 'skipped', 'withoutEmail'] as const;

/**
 * The summary after an import, rebuilt from numbers in the address the import redirected to (only
 * digits are read, so a crafted link cannot put words on the page).
 */
function importedNotice(req: FastifyRequest, t: T) {
  const q = (req.query ?? {}) as Record<string, unknown>;
  if (q.saved !== 'attendance') return '';
  const n = Object.fromEntries(
    COUNTS.map((k) => [k, typeof q[k] === 'string' && /^\d{1,7}$/.test(q[k]) ? Number(q[k]) : 0]),
  ) as Record<(typeof COUNTS)[number], number>;
  return html`<p class="notice" role="status">
    ${t('console.imported', n)}
    ${n.withoutEmail ? t('console.imported_no_email', { count: n.withoutEmail }) : ''}
  </p>`;
}

/** Who matches whom, who is new, who was host or panelist: row by row, before anything is written. */
function previewTable(
  req: FastifyRequest,
  t: T,
  seriesId: string,
  p: { sessionId: string; csv: string; result: Awaited<ReturnType<typeof importAttendance>> },
) {
  const r = p.result;
  return html`<section aria-labelledby="preview-h">
    <h3 id="preview-h">${t('console.preview_title', { kind: t(`console.kind_${r.kind}`) })}</h3>
    <p>
      ${t('console.preview_summary', {
        people: r.people,
        matched: r.matched,
        unmatched: r.unmatched,
        merged: r.merged,
        skipped: r.skipped,
      })}
    </p>
    <div style="overflow-x:auto">
      <table>
        <thead>
          <tr>
            <th scope="col">${t('console.line')}</th>
            <th scope="col">${t('name')}</th>
            <th scope="col">${t('email')}</th>
            <th scope="col">${t('console.role')}</th>
            <th scope="col">${t('console.result')}</th>
            <th scope="col">${t('console.why')}</th>
          </tr>
        </thead>
        <tbody>
          ${r.details.map(
            (d) =>
              html`<tr>
                <td>${d.line}</td>
                <td>${d.name}</td>
                <td>${d.email}</td>
                <td>${d.role}</td>
                <td>${t(`console.outcome_${d.outcome}`)}</td>
                <td>${t('console.reason', { reason: d.reason, minutes: d.minutes ?? 0, status: d.status ?? '' })}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${
      r.kind !== 'webinar_registrations'
        ? html`<form method="post" action="/console/series/${seriesId}/attendance">
          ${csrfField(req)}<input type="hidden" name="sessionId" value="${p.sessionId}" /><input
            type="hidden"
            name="csv"
            value="${p.csv}"
          /><button type="submit" name="action" value="import">
            ${t('console.import_these', { count: r.people })}
          </button>
        </form>`
        : ''
    }
  </section>`;
}

/** The console page of registrations and attendance. */
export async function attendancePages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  app.get('/console/series/:id/registrations', { schema: { hide: true } }, async (req, reply) => {
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(await consolePage(req, (req.params as { id: string }).id));
  });
  app.post('/console/series/:id/registration-settings', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const series = await findSeries(db, id);
    if (!series) throw notFound('This series', 'id');
    authorize(requireActor(req.actor), canManageSeries(req.actor, series.id));
    const raw = String((req.body as { offsets?: string } | undefined)?.offsets ?? '');
    const parsed = SettingsBody.safeParse({
      reminderOffsetsMinutes: raw
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map(Number),
    });
    if (!parsed.success || parsed.data.reminderOffsetsMinutes.some((n) => !Number.isInteger(n))) {
      const message = parsed.success
        ? messages.t(req.lang)('console.whole_minutes')
        : translateError(req.lang, {
            code: parsed.error.issues[0].code,
            message: parsed.error.issues[0].message,
          });
      return reply
        .status(422)
        .type('text/html; charset=utf-8')
        .send(await consolePage(req, id, undefined, message));
    }
    await inTransaction(db, (trx) =>
      repo.setReminderOffsets(trx, series.id, parsed.data.reminderOffsetsMinutes),
    );
    // Redirect after post: reloading the page that confirms does not send the form again.
    return reply.redirect(savedUrl(`/console/series/${series.id}/registrations`, 'reminders'), 303);
  });
  app.post('/console/series/:id/attendance', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const b = (req.body ?? {}) as { sessionId?: string; csv?: string; action?: string };
    const sess = await findSession(db, String(b.sessionId ?? ''));
    if (!sess || sess.series_id !== (await findSeries(db, id))?.id)
      throw notFound('This session', 'sessionId');
    authorize(requireActor(req.actor), canEditSession(req.actor, sess.series_id, sess.region_id));
    try {
      const csv = String(b.csv ?? '');
      const dryRun = b.action !== 'import';
      const r = await inTransaction(db, (trx) => importAttendance(trx, sess.id, csv, { dryRun }));
      if (!r.written)
        return reply
          .type('text/html; charset=utf-8')
          .send(await consolePage(req, id, undefined, undefined, { sessionId: sess.id, csv, result: r }));
      const counts = COUNTS.map((k) => `&${k}=${r[k]}`).join('');
      return reply.redirect(`${savedUrl(`/console/series/${id}/registrations`, 'attendance')}${counts}`, 303);
    } catch (e) {
      const err = toAppError(e);
      if (err.status !== 422) throw e;
      return reply
        .status(422)
        .type('text/html; charset=utf-8')
        .send(await consolePage(req, id, undefined, translateError(req.lang, err)));
    }
  });
}
