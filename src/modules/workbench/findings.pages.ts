// Findings: the engine's sentences with figures and quotes, editable, saved as a snapshot; reproduce a snapshot.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html } from '../../lib/html.ts';
import { toAppError } from '../../server/errors.ts';
import { csrfField, field } from '../../server/layout.ts';
import { inTransaction } from '../../server/tx.ts';
import { findSnapshot, listSnapshots, renderSnapshot } from '../publishing/index.ts';
import { filterForm, filterQuery } from './compare.pages.ts';
import { jobBanner } from './workbench.pages.ts';
import type { Filters } from './compare.service.ts';
import { type Labels } from './labels.ts';
import { messages } from './messages/index.ts';
import { fmt } from '../../lib/format.ts';
import type { Finding } from '../analysis/index.ts';
import { currentFindings, reproduceSnapshot, saveFindingsSnapshot } from './findings.service.ts';
import { canCode, codableSeries, viewableSeries } from './workbench.service.ts';
import { cleanFilters, FiltersQuery, parseInput } from './workbench.schema.ts';
import { pct, sendHtml, wbPage, wbPath } from './workbench.view.ts';

type Body = Record<string, string | undefined>;

const num = (x: number): string => (x < 0.001 ? '< 0.001' : x.toFixed(3));

type T = ReturnType<typeof messages.t>;

/** What a claim rests on: n, shares, q, the sensitivity checks and who coded it. */
function claimMeta(x: Finding, t: T, lang: string): string {
  const c = x.claim;
  const p = (v: number) => pct(v, lang);
  const coded = x.coding.units
    ? t('claim.coded', { byPerson: x.coding.byPerson, units: x.coding.units })
    : t('claim.noUnits');
  if (!c) return coded;
  const s = c.sensitivity;
  return [
    t('claim.figures', {
      n: c.n,
      count: c.count,
      share: p(c.share),
      otherCount: c.otherCount,
      otherN: c.otherN,
      otherShare: p(c.otherShare),
    }),
    t('claim.test', { p: num(c.p), q: num(c.q), tests: c.tests }),
    c.held
      ? t('claim.held')
      : c.failed === 'support'
        ? t('claim.notHeldSupport', { min: c.minSupport })
        : t('claim.notHeldQ', { q: c.qLevel }),
    t('claim.without', { min: s.minConfidence, holds: s.withoutLowConfidence ? 'yes' : 'no' }),
    s.firstHeld ? t('claim.since', { date: s.firstHeld }) : t('claim.never'),
    coded,
  ].join(' · ');
}

/** One finding: editable sentence, figures, the claim's checks and the quotes with who coded them. */
function findingCard(
  x: Finding,
  i: number,
  label: Map<string, string>,
  labels: Labels,
  b: Body,
  lang: string,
) {
  const t = messages.t(lang);
  const p = (v: number) => pct(v, lang);
  const greyed = !x.held;
  return html`<div class="finding card${greyed ? ' muted not-held' : ''}" data-held="${x.held ? 'yes' : 'no'}">
    ${
      greyed
        ? html`<p class="meta"><strong>${t('finding.notSurvived')}</strong>${t('finding.notSurvivedWhy')}</p>
            <p class="claim-text">${x.text}</p>`
        : field(
            `edit_${i}`,
            `${labels.kind(x.kind)}${x.type === 'distinctive' && x.group ? ` · ${labels.region(x.group)}` : ''}`,
            {
              textarea: true,
              value: b[`edit_${i}`] ?? x.text,
              attrs: html`rows="3"`,
            },
          )
    }
    <p class="meta">
      ${Object.entries(x.figures)
        .map(([th, v]) =>
          t('finding.figure', {
            theme: label.get(th) ?? th,
            count: v.count,
            n: v.n,
            share: p(v.share),
            low: p(v.low),
            high: p(v.high),
          }),
        )
        .join(' · ')}
    </p>
    <p class="meta claim-checks">${claimMeta(x, t, lang)}</p>
    ${
      x.quotes.length
        ? html`<ul class="quotes">
            ${x.quotes.map(
              (q) =>
                html`<li>
                  <blockquote data-user-content ${q.language ? html`lang="${q.language}"` : ''}>“${q.text}”</blockquote>
                  <span class="meta"
                    >${q.group ? labels.region(q.group) : ''} ·
                    ${q.codedBy === 'person' ? t('finding.byPerson') : t('finding.byEngine', { p: p(q.confidence ?? 0) })}</span
                  >
                </li>`,
            )}
          </ul>`
        : html`<p class="meta">${t('finding.noQuote')}</p>`
    }
  </div>`;
}

/** Findings page, snapshot saving and the reproduce page. */
export async function findingsPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  const render = async (
    req: FastifyRequest,
    id: string,
    f: Filters,
    error?: string,
    b: Body = {},
  ): Promise<string> => {
    const s = await viewableSeries(db, req.actor, id);
    const { loaded, comparison, found, labels, claims } = await currentFindings(db, s.id, f, req.lang);
    const { banner, head } = await jobBanner(app, s.id, req.lang, { req, back: '/findings' });
    const snaps = await listSnapshots(db, s.id);
    const coder = canCode(req.actor, s.id);
    const label = new Map(loaded.codebook.themes.map((x) => [x.id, labels.theme(x.id)]));
    const t = messages.t(req.lang);
    const f0 = fmt(req.lang);
    return wbPage(
      req,
      s,
      '/findings',
      t('tab.findings'),
      html`
        ${error ? html`<p class="alert" role="alert">${error}</p>` : ''}${banner}
        ${filterForm(`${wbPath(s.id)}/findings`, loaded, f, req.lang)}
        <p>
          ${t('findings.intro', { n: comparison.n, asOf: comparison.asOf ?? 'none', version: loaded.codebookVersion })}
        </p>
        <p id="claims-summary">
          ${t('findings.claims', {
            held: claims.held,
            notHeld: claims.notHeld,
            tests: claims.tests,
            q: claims.q,
            min: claims.minSupport,
          })}
        </p>
        <form method="post" action="${wbPath(s.id)}/snapshots${filterQuery(f)}" novalidate>
          ${csrfField(req)}
          ${found.length === 0 ? html`<p>${t('findings.none')}</p>` : ''}
          ${found.map((x, i) => findingCard(x, i, label, labels, b, req.lang))}
          ${coder && found.length ? html`${field('title', t('findings.snapshotTitle'), { value: b.title ?? t('findings.snapshotDefault', { date: new Date().toISOString().slice(0, 10) }), required: true })}<button type="submit">${t('findings.save')}</button>` : ''}
        </form>
        <h2 id="snapshots">${t('findings.snapshots')}</h2>
        ${
          snaps.length
            ? html`<ul>
                ${snaps.map((x) => html`<li><a href="${wbPath(s.id)}/snapshots/${x.id}" data-user-content>${x.title}</a> <span class="meta">${f0.dateTime(x.createdAt, 'UTC', { zone: true })}</span></li>`)}
              </ul>`
            : html`<p>${t('findings.noSnapshots')}</p>`
        }
      `,
      head ? { head } : {},
    );
  };

  app.get('/console/series/:id/workbench/findings', { schema: { hide: true } }, async (req, reply) =>
    sendHtml(
      reply,
      await render(req, (req.params as { id: string }).id, cleanFilters(parseInput(FiltersQuery, req.query))),
    ),
  );

  app.post('/console/series/:id/workbench/snapshots', { schema: { hide: true } }, async (req, reply) => {
    const s = await codableSeries(db, req.actor, (req.params as { id: string }).id);
    const f = cleanFilters(parseInput(FiltersQuery, req.query));
    const b = (req.body ?? {}) as Body;
    const edits: Record<number, string> = {};
    for (const [k, v] of Object.entries(b)) {
      const m = /^edit_(\d{1,4})$/.exec(k);
      if (m && typeof v === 'string') edits[Number(m[1])] = v.slice(0, 4000);
    }
    try {
      const id = await inTransaction(db, (trx) =>
        saveFindingsSnapshot(trx, s.id, {
          title: (b.title ?? '').slice(0, 200),
          filters: f,
          edits,
          language: req.lang,
        }),
      );
      app.ctx.invalidate();
      return reply.redirect(`${wbPath(s.id)}/snapshots/${id}?saved=1`, 303);
    } catch (e) {
      const err = toAppError(e);
      if (err.status >= 500 || err.status === 401 || err.status === 403) throw e;
      return sendHtml(reply, await render(req, s.id, f, err.message, b), err.status);
    }
  });

  app.get(
    '/console/series/:id/workbench/snapshots/:snapshotId',
    { schema: { hide: true } },
    async (req, reply) => {
      const { id, snapshotId } = req.params as { id: string; snapshotId: string };
      const s = await viewableSeries(db, req.actor, id);
      const r = await reproduceSnapshot(db, s.id, snapshotId);
      const snap = (await findSnapshot(db, snapshotId))!;
      const saved = (req.query as { saved?: string }).saved;
      const t = messages.t(req.lang);
      const f0 = fmt(req.lang);
      const p = snap.params as {
        filters?: Filters;
        codebookVersion?: number;
        engineVersion?: string;
        units?: number;
        date?: string;
      };
      return sendHtml(
        reply,
        wbPage(
          req,
          s,
          '/findings',
          t('snap.title', { title: snap.title }),
          html`
            ${saved ? html`<p class="notice" role="status">${t('snap.saved')}</p>` : ''}
            <p>
              ${t('snap.meta', {
                date: f0.dateTime(snap.createdAt, 'UTC', { zone: true }),
                units: p.units ?? '?',
                version: p.codebookVersion ?? '?',
                engine: p.engineVersion ?? snap.engineVersion,
              })}
              <span data-user-content
                >${
                  Object.entries(p.filters ?? {})
                    .map(([k, v]) => `${k} = ${String(v)}`)
                    .join(', ') || '–'
                }</span
              >
            </p>
            <h2>${t('snap.reproduce')}</h2>
            <p class="${r.equal ? 'ok' : 'bad'}" id="reproduce-result" role="status">
              ${r.equal ? t('snap.equal') : t('snap.differs')}
            </p>
            <table>
              <caption class="vh">
                ${t('snap.caption')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t('snap.col.check')}</th>
                  <th scope="col">${t('snap.col.result')}</th>
                </tr>
              </thead>
              <tbody>
                ${r.checks.map(
                  (c) =>
                    html`<tr>
                      <th scope="row">${messages.lookup(req.lang, `snap.check.${c.name}`) ?? c.name}</th>
                      <td class="${c.ok ? 'ok' : 'bad'}">${c.ok ? t('snap.ok') : t('snap.bad')}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            ${renderSnapshot(snap, req.lang)}
            <p><a href="/api/series/${s.id}/workbench/snapshots/${snap.id}">${t('snap.json')}</a></p>
          `,
        ),
      );
    },
  );
}
