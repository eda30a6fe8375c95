/** Coordinators' page: registrations, registered vs attended per session and region, report import. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../../lib/errors.ts';
import { html } from '../../lib/html.ts';
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
  const pct = (a: number, b: number) => (b ? `${Math.round((100 * a) / b)} %` : '–');
  return page(
    req,
    { title: `Registrations · ${series.title}` },
    html` <p><a href="/console/series/${series.id}">${series.title}</a></p>
      <h1>Registrations and attendance</h1>
      ${manage ? html`<p><a href="/console/series/${series.id}/registrants">Registrants: list, filters, export (CSV, XLSX) and write to them</a></p>` : ''}
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : importedNotice(req)}${savedNotice(req, SAVED)}${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
      <p>
        Mode: <strong>${series.registration_mode}</strong> · retention ${series.retention_days} days after the
        last session · reminders ${offsets.map((o) => (o % 60 ? `${o} min` : `${o / 60} h`)).join(', ')}
        before.
      </p>
      ${
        manage
          ? html`<form
              method="post"
              action="/console/series/${series.id}/registration-settings"
              class="no-print"
            >
              ${csrfField(req)}
              ${field('offsets', 'Reminders, in minutes before the start (comma-separated; default 1440, 60)', { value: offsets.join(', ') })}
              <button type="submit" class="secondary">Save reminders</button>
            </form>`
          : ''
      }
      <h2>Per session</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Region</th>
            <th scope="col">Capacity</th>
            <th scope="col">Registered</th>
            <th scope="col">Waiting</th>
            <th scope="col">Attended</th>
            <th scope="col">Rate</th>
            <th scope="col">Attended without registering</th>
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
      <h2>Per region</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Region</th>
            <th scope="col">Registered</th>
            <th scope="col">Attended</th>
            <th scope="col">Rate</th>
          </tr>
        </thead>
        <tbody>
          ${stats.regions.map(
            (r) =>
              html`<tr>
                <td>${r.regionName ?? '(none)'}</td>
                <td>${r.registered}</td>
                <td>${r.attended}</td>
                <td>${pct(r.attended, r.registered)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        importable.length
          ? html`<h2>Import an attendee report</h2>
              <p class="muted">
                Zoom's web portal, as exported: the webinar attendee report (Host, Panelist and Attendee
                Details), the meeting participants export (with or without meeting data) or the registration
                report. One row per join; rejoins are merged per e-mail and their minutes summed. Preview first:
                nothing is written until you import. Importing again never lowers recorded attendance.
              </p>
              ${preview ? previewTable(req, series.id, preview) : ''}
              <form method="post" action="/console/series/${series.id}/attendance">
                ${csrfField(req)}
                ${field('sessionId', 'Session', { options: importable.map((s) => ({ value: s.sessionId, label: s.title })), value: preview?.sessionId })}
                ${field('csv', 'Report (CSV)', { textarea: true, required: true, value: preview?.csv })}
                <button type="submit" name="action" value="preview">Preview</button>
                <button type="submit" name="action" value="import">Import</button>
              </form>`
          : ''
      }
      ${
        manage
          ? html`<h2>People (${rows.length})</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">E-mail</th>
                    <th scope="col">Country</th>
                    <th scope="col">Session</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map(
                    (r) =>
                      html`<tr>
                        <td>${r.name}</td>
                        <td>${r.email}</td>
                        <td>${countryName(r.country, 'en')}</td>
                        <td>${stats.sessions.find((s) => s.sessionId === r.session_id)?.title ?? ''}</td>
                        <td>${r.status}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
          : ''
      }`,
  );
}

const SAVED = { reminders: 'Reminders saved. They apply to registrations confirmed from now on.' };

const COUNTS = ['rows', 'people', 'matched', 'unmatched', 'merged', 'skipped', 'withoutEmail'] as const;

/**
 * The summary after an import, rebuilt from numbers in the address the import redirected to (only
 * digits are read, so a crafted link cannot put words on the page).
 */
function importedNotice(req: FastifyRequest) {
  const q = (req.query ?? {}) as Record<string, unknown>;
  if (q.saved !== 'attendance') return '';
  const n = Object.fromEntries(
    COUNTS.map((k) => [k, typeof q[k] === 'string' && /^\d{1,7}$/.test(q[k]) ? Number(q[k]) : 0]),
  ) as Record<(typeof COUNTS)[number], number>;
  return html`<p class="notice" role="status">
    Imported ${n.rows} rows: ${n.people} people, ${n.matched} matched to registrations, ${n.unmatched} not
    registered, ${n.merged} rejoins merged, ${n.skipped}
    skipped${n.withoutEmail ? ` (${n.withoutEmail} without e-mail)` : ''}.
  </p>`;
}

const KIND_LABEL = {
  webinar_attendees: 'Zoom webinar attendee report',
  webinar_registrations: 'Zoom webinar registration report (no attendance: nothing to import)',
  meeting_participants: 'Zoom meeting participants export',
};

/** Who matches whom, who is new, who was host or panelist: row by row, before anything is written. */
function previewTable(
  req: FastifyRequest,
  seriesId: string,
  p: { sessionId: string; csv: string; result: Awaited<ReturnType<typeof importAttendance>> },
) {
  const r = p.result;
  return html`<section aria-labelledby="preview-h">
    <h3 id="preview-h">Preview: ${KIND_LABEL[r.kind]}</h3>
    <p>
      ${r.people} people: ${r.matched} matched to registrations, ${r.unmatched} new, ${r.merged} rejoins merged,
      ${r.skipped} rows skipped.
    </p>
    <div style="overflow-x:auto">
      <table>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            <th scope="col">Result</th>
            <th scope="col">Why</th>
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
                <td>${d.outcome}</td>
                <td>${d.why}</td>
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
          /><button type="submit" name="action" value="import">Import these ${r.people} people</button>
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
        ? 'Give whole numbers of minutes, like "1440, 60".'
        : parsed.error.issues[0].message;
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
        .send(await consolePage(req, id, undefined, err.message));
    }
  });
}
