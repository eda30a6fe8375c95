// Findings: the engine's sentences with figures and quotes, editable, saved as a snapshot; reproduce a snapshot.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html } from '../../lib/html.ts';
import { toAppError } from '../../server/errors.ts';
import { csrfField, field } from '../../server/layout.ts';
import { inTransaction } from '../../server/tx.ts';
import { findSnapshot, listSnapshots, renderSnapshot } from '../publishing/index.ts';
import { filterForm, filterQuery } from './compare.pages.ts';
import type { Filters } from './compare.service.ts';
import { kindLabel, type Labels } from './labels.ts';
import type { Finding } from '../analysis/index.ts';
import { currentFindings, reproduceSnapshot, saveFindingsSnapshot } from './findings.service.ts';
import { canCode, codableSeries, ensureFreshLabels, viewableSeries } from './workbench.service.ts';
import { cleanFilters, FiltersQuery, parseInput } from './workbench.schema.ts';
import { pct, sendHtml, wbPage, wbPath } from './workbench.view.ts';

type Body = Record<string, string | undefined>;

const num = (x: number): string => (x < 0.001 ? '< 0.001' : x.toFixed(3));

/** What a claim rests on: n, shares, q, the sensitivity checks and who coded it. */
function claimMeta(x: Finding): string {
  const c = x.claim;
  const coded = x.coding.units
    ? `${x.coding.byPerson} of ${x.coding.units} coded or checked by people`
    : 'no coded units';
  if (!c) return coded;
  const s = c.sensitivity;
  return [
    `n ${c.n}: ${c.count} (${pct(c.share)}) in the region against ${c.otherCount} of ${c.otherN} (${pct(c.otherShare)}) elsewhere`,
    `p ${num(c.p)}, adjusted q ${num(c.q)} over ${c.tests} tests`,
    c.held
      ? 'held'
      : c.failed === 'support'
        ? `not held: fewer than ${c.minSupport} mentions`
        : `not held: q above ${c.qLevel}`,
    `without engine codes below ${s.minConfidence}: ${s.withoutLowConfidence ? 'still holds' : 'does not hold'}`,
    s.firstHeld ? `holds since ${s.firstHeld}` : 'has not held at any session date',
    coded,
  ].join(' · ');
}

/** One finding: editable sentence, figures, the claim's checks and the quotes with who coded them. */
function findingCard(x: Finding, i: number, label: Map<string, string>, labels: Labels, b: Body) {
  const greyed = !x.held;
  return html`<div class="finding card${greyed ? ' muted not-held' : ''}" data-held="${x.held ? 'yes' : 'no'}">
    ${
      greyed
        ? html`<p class="meta"><strong>Did not survive</strong>: kept here so nothing is hidden; not saved in snapshots.</p>
            <p class="claim-text">${x.text}</p>`
        : field(
            `edit_${i}`,
            `${kindLabel(x.kind)}${x.type === 'distinctive' && x.group ? ` · ${labels.region(x.group)}` : ''}`,
            {
              textarea: true,
              value: b[`edit_${i}`] ?? x.text,
              attrs: html`rows="3"`,
            },
          )
    }
    <p class="meta">
      ${Object.entries(x.figures)
        .map(
          ([t, v]) =>
            `${label.get(t) ?? t}: ${v.count} of ${v.n} (${pct(v.share)}, ${pct(v.low)}–${pct(v.high)})`,
        )
        .join(' · ')}
    </p>
    <p class="meta claim-checks">${claimMeta(x)}</p>
    ${
      x.quotes.length
        ? html`<ul class="quotes">
            ${x.quotes.map(
              (q) =>
                html`<li>
                  <blockquote ${q.language ? html`lang="${q.language}"` : ''}>“${q.text}”</blockquote>
                  <span class="meta"
                    >${q.group ? labels.region(q.group) : ''} ·
                    ${q.codedBy === 'person' ? 'coded by a person' : `engine, confidence ${pct(q.confidence ?? 0)}`}</span
                  >
                </li>`,
            )}
          </ul>`
        : html`<p class="meta">No quote: no unit with this theme was coded by a person or by the engine at high confidence.</p>`
    }
  </div>`;
}

/** Findings page, snapshot saving and the reproduce page. */
export async function findingsPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const log = (e: unknown) => app.log.error({ err: e }, 'workbench job failed');

  const render = async (
    req: FastifyRequest,
    id: string,
    f: Filters,
    error?: string,
    b: Body = {},
  ): Promise<string> => {
    const s = await viewableSeries(db, req.actor, id);
    await ensureFreshLabels(db, s.id, log);
    const { loaded, comparison, found, labels, claims } = await currentFindings(db, s.id, f, req.lang);
    const snaps = await listSnapshots(db, s.id);
    const coder = canCode(req.actor, s.id);
    const label = new Map(loaded.codebook.themes.map((t) => [t.id, labels.theme(t.id)]));
    return wbPage(
      req,
      s,
      '/findings',
      'Findings',
      html`
        ${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
        ${filterForm(`${wbPath(s.id)}/findings`, loaded, f)}
        <p>
          ${comparison.n} responses${comparison.asOf ? ` as of ${comparison.asOf}` : ''}, codebook version
          ${loaded.codebookVersion}. The sentences are the engine's; edit them before saving a snapshot.
        </p>
        <p id="claims-summary">
          Distinctive claims: ${claims.held} held, ${claims.notHeld} did not survive (shown greyed, not
          published). ${claims.tests} tests corrected together (Benjamini–Hochberg, q ≤ ${claims.q}); a claim also
          needs at least ${claims.minSupport} mentions in its region.
        </p>
        <form method="post" action="${wbPath(s.id)}/snapshots${filterQuery(f)}" novalidate>
          ${csrfField(req)}
          ${found.length === 0 ? html`<p>No findings yet: there are no coded responses for these filters.</p>` : ''}
          ${found.map((x, i) => findingCard(x, i, label, labels, b))}
          ${coder && found.length ? html`${field('title', 'Snapshot title', { value: b.title ?? `Findings ${new Date().toISOString().slice(0, 10)}`, required: true })}<button type="submit">Save snapshot</button>` : ''}
        </form>
        <h2 id="snapshots">Snapshots</h2>
        ${
          snaps.length
            ? html`<ul>
                ${snaps.map((x) => html`<li><a href="${wbPath(s.id)}/snapshots/${x.id}">${x.title}</a> <span class="meta">${x.createdAt.slice(0, 16).replace('T', ' ')} UTC</span></li>`)}
              </ul>`
            : html`<p>None yet. A post can embed a snapshot once it is saved.</p>`
        }
      `,
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
          `Snapshot: ${snap.title}`,
          html`
            ${saved ? html`<p class="notice" role="status">Snapshot saved. Posts of this series can embed it.</p>` : ''}
            <p>
              Saved ${snap.createdAt.slice(0, 16).replace('T', ' ')} UTC · ${p.units ?? '?'} responses ·
              codebook version ${p.codebookVersion ?? '?'} · engine ${p.engineVersion ?? snap.engineVersion} ·
              filters:
              ${
                Object.entries(p.filters ?? {})
                  .map(([k, v]) => `${k} = ${String(v)}`)
                  .join(', ') || 'none'
              }.
            </p>
            <h2>Reproduce</h2>
            <p class="${r.equal ? 'ok' : 'bad'}" id="reproduce-result" role="status">
              ${r.equal ? 'Reproduced exactly: recomputing from the stored inputs gives the same figures, sentences and quotes.' : 'Not reproduced: something differs (see below).'}
            </p>
            <table>
              <caption class="vh">
                Reproduction checks
              </caption>
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                ${r.checks.map(
                  (c) =>
                    html`<tr>
                      <th scope="row">${c.name}</th>
                      <td class="${c.ok ? 'ok' : 'bad'}">${c.ok ? 'equal' : 'differs'}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            ${renderSnapshot(snap)}
            <p><a href="/api/series/${s.id}/workbench/snapshots/${snap.id}">JSON of this snapshot</a></p>
          `,
        ),
      );
    },
  );
}
