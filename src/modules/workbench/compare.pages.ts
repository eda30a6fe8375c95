// Compare: theme × region heatmap per prompt kind, bar charts with intervals, filters, quotes behind each cell.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fmt } from '../../lib/format.ts';
import { html, type Html } from '../../lib/html.ts';
import { field } from '../../server/layout.ts';
import type { Comparison } from '../analysis/index.ts';
import { compareCube } from './compare.cube.ts';
import { compareSeries, withTexts, type Filters, type Loaded } from './compare.service.ts';
import { workbenchLabels, type Labels } from './labels.ts';
import { messages } from './messages/index.ts';
import { jobBanner } from './workbench.pages.ts';
import { exportButtons } from './exports.pages.ts';
import { viewableSeries } from './workbench.service.ts';
import { cleanFilters, FiltersQuery, parseInput } from './workbench.schema.ts';
import { barChartSvg, heatColour, pct, sendHtml, wbPage, wbPath } from './workbench.view.ts';

/** The query string of a filter set (plus extra parameters). */
export function filterQuery(f: Filters, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The filter form (GET, works without JS). */
export function filterForm(
  action: string,
  l: Pick<Loaded, 'sessions' | 'careerStages' | 'languages'>,
  f: Filters,
  lang = 'en',
): Html {
  const t = messages.t(lang);
  const opt = (xs: string[], all: string) => [
    { value: '', label: all },
    ...xs.map((x) => ({ value: x, label: x })),
  ];
  return html`<form method="get" action="${action}" class="filters" aria-label="${t('filter.label')}">
    <div class="row">
      ${field('session', t('filter.session'), { id: 'flt-session', value: f.session ?? '', options: opt(l.sessions, t('filter.allSessions')) })}
      ${field('careerStage', t('filter.careerStage'), { id: 'flt-career', value: f.careerStage ?? '', options: opt(l.careerStages, t('filter.allCareerStages')) })}
      ${field('language', t('filter.language'), { id: 'flt-language', value: f.language ?? '', options: opt(l.languages, t('filter.allLanguages')) })}
      ${field('asOf', t('filter.asOf'), { id: 'flt-asof', value: f.asOf ?? '', type: 'date', hint: t('filter.asOfHint') })}
      <button type="submit">${t('filter.apply')}</button>
    </div>
  </form>`;
}

function heatmap(
  seriesId: string,
  kind: string,
  c: Comparison,
  labels: Labels,
  f: Filters,
  lang: string,
): Html {
  const t = messages.t(lang);
  const n0 = fmt(lang).number;
  const k = c.kinds[kind];
  const groups = Object.keys(k.groups).sort();
  const themes = k.themes.filter((t) => t.count > 0);
  const max = Math.max(
    0.0001,
    ...themes.flatMap((t) => [t.share, ...Object.values(t.groups).map((g) => g.share)]),
  );
  const cell = (themeId: string, region: string, count: number, n: number, share: number) => {
    const href = `${wbPath(seriesId)}/quotes${filterQuery(f, { kind, theme: themeId, ...(region ? { region } : {}) })}`;
    return html`<td style="background:${heatColour(share / max)}">
      <a href="${href}"
        >${pct(share, lang)} <small>(${n0(count)}<span class="vh"> ${t('heat.of', { n: n0(n) })}</span>)</small
        ><span class="vh"
          >:
          ${region ? t('heat.quotesIn', { theme: labels.theme(themeId), region: labels.region(region) }) : t('heat.quotes', { theme: labels.theme(themeId) })}</span
        ></a
      >
    </td>`;
  };
  return html`<div style="overflow-x:auto">
    <table class="heat" data-kind="${kind}">
      <caption>
        ${t('heat.caption', { kind: labels.kind(kind), n: k.n })}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('heat.theme')}</th>
          <th scope="col">${t('heat.allRegions')}<br /><small>n=${n0(k.n)}</small></th>
          ${groups.map((g) => html`<th scope="col">${labels.region(g)}<br /><small>n=${n0(k.groups[g].n)}</small></th>`)}
        </tr>
      </thead>
      <tbody>
        ${themes.map(
          (t) =>
            html`<tr>
              <th scope="row">${labels.theme(t.id)}</th>
              ${cell(t.id, '', t.count, t.n, t.share)}${groups.map((g) => cell(t.id, g, t.groups[g]?.count ?? 0, t.groups[g]?.n ?? 0, t.groups[g]?.share ?? 0))}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** Compare and quotes pages. */
export async function comparePages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  const render = async (req: FastifyRequest, id: string): Promise<string> => {
    const s = await viewableSeries(db, req.actor, id);
    const q = parseInput(FiltersQuery, req.query);
    const f = cleanFilters(q);
    const t = messages.t(req.lang);
    const [{ cube: loaded, comparison, claims }, { banner, head }, labels] = await Promise.all([
      compareCube(db, s.id, f),
      jobBanner(app, s.id, req.lang, { req, back: '/compare' }),
      workbenchLabels(db, s.id, req.lang),
    ]);
    const label = new Map(loaded.codebook.themes.map((x) => [x.id, labels.theme(x.id)]));
    const kinds = Object.keys(comparison.kinds);
    const names = (ids: string[]) =>
      ids.length ? fmt(req.lang).list(ids.map((x) => label.get(x) ?? x)) : t('compare.none');
    return wbPage(
      req,
      s,
      '/compare',
      t('compare.title'),
      html`
        ${banner} ${filterForm(`${wbPath(s.id)}/compare`, loaded, f, req.lang)}
        <p>
          ${t('compare.summary', {
            n: comparison.n,
            asOf: comparison.asOf ?? 'none',
            excluded: comparison.excluded ?? 0,
          })}
        </p>
        ${kinds.length === 0 ? html`<p>${t('compare.noMatch')}</p>` : ''}
        ${kinds.map((kind, i) => {
          const k = comparison.kinds[kind];
          const bars = k.themes
            .filter((t) => t.count > 0)
            .slice(0, 10)
            .map((t) => ({
              label: label.get(t.id) ?? t.id,
              count: t.count,
              share: t.share,
              low: t.low,
              high: t.high,
            }));
          return html`<section aria-labelledby="k-${i}">
            <h2 id="k-${i}">${labels.kind(kind)}</h2>
            <p>
              <strong>${t('compare.across')}</strong> ${names(comparison.acrossGroups[kind] ?? [])}.
              <strong>${t('compare.top')}</strong> ${names(k.top.slice(0, 3))}.
            </p>
            ${heatmap(s.id, kind, comparison, labels, f, req.lang)}
            ${bars.length ? barChartSvg(`bars-${i}`, kind, bars, req.lang) : ''}
          </section>`;
        })}
        <h2 id="distinctive">${t('compare.distinctive')}</h2>
        <p class="hint">
          ${t('compare.distinctiveHint', { tests: claims.tests, q: claims.q, min: claims.minSupport })}
        </p>
        <table>
          <caption class="vh">
            ${t('compare.distinctiveCaption')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('compare.col.region')}</th>
              <th scope="col">${t('compare.col.themes')}</th>
            </tr>
          </thead>
          <tbody>
            ${[...new Set(claims.claims.map((c) => c.group))].sort().map((g) => {
              const list = claims.claims.filter((c) => c.group === g).slice(0, 6);
              return html`<tr>
                <th scope="row">${labels.region(g)}</th>
                <td>
                  ${list.map(
                    (d) =>
                      html`<span class="pill${d.held ? '' : ' muted'}" data-held="${d.held ? 'yes' : 'no'}"
                        >${t('compare.claim', {
                          theme: label.get(d.themeId) ?? d.themeId,
                          kind: labels.kind(d.kind),
                          count: d.count,
                          n: d.n,
                          share: pct(d.share, req.lang),
                          other: pct(d.otherShare, req.lang),
                          q: d.q < 0.001 ? '<0.001' : d.q.toFixed(3),
                          state: d.held ? 'held' : d.failed === 'support' ? 'support' : 'q',
                        })}</span
                      >`,
                  )}
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
        <h2>${t('compare.export')}</h2>
        ${exportButtons(req, s.id, f)}
      `,
      { head },
    );
  };

  app.get('/console/series/:id/workbench/compare', { schema: { hide: true } }, async (req, reply) =>
    sendHtml(reply, await render(req, (req.params as { id: string }).id)),
  );

  app.get('/console/series/:id/workbench/quotes', { schema: { hide: true } }, async (req, reply) => {
    const s = await viewableSeries(db, req.actor, (req.params as { id: string }).id);
    const q = parseInput(FiltersQuery, req.query);
    const extra = req.query as { theme?: string; region?: string };
    const f = cleanFilters(q);
    const t = messages.t(req.lang);
    const [{ loaded, rows }, labels] = await Promise.all([
      compareSeries(db, s.id, f),
      workbenchLabels(db, s.id, req.lang),
    ]);
    const label = new Map(loaded.codebook.themes.map((t) => [t.id, labels.theme(t.id)]));
    const limit = f.asOf
      ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(f.asOf) ? `${f.asOf}T23:59:59.999Z` : f.asOf)
      : undefined;
    const hits0 = rows.filter(
      (r) =>
        (!q.kind || r.kind === q.kind) &&
        (!extra.region || r.group === extra.region) &&
        (!extra.theme || r.labels.includes(extra.theme)) &&
        (limit === undefined || (r.time !== undefined && Date.parse(r.time) <= limit)),
    );
    const hits = await withTexts(db, s.id, loaded, hits0.slice(0, 500));
    const title = `${label.get(extra.theme ?? '') ?? t('quotes.allThemes')} · ${labels.kind(q.kind ?? 'all')}${extra.region ? ` · ${labels.region(extra.region)}` : ''}`;
    return sendHtml(
      reply,
      wbPage(
        req,
        s,
        '/compare',
        t('quotes.title', { title }),
        html`
          <p><a href="${wbPath(s.id)}/compare${filterQuery(f)}">${t('quotes.back')}</a></p>
          <p>${t('quotes.count', { count: hits0.length })}</p>
          <ul class="quotes-list">
            ${hits.slice(0, 500).map(
              (r) =>
                html`<li>
                  <blockquote data-user-content ${r.language ? html`lang="${r.language}"` : ''}>“${r.text}”</blockquote>
                  <p class="meta" data-user-content>
                    ${labels.region(r.group)} ·
                    ${r.language}${r.careerStage ? ` · ${r.careerStage}` : ''}${r.session ? ` · ${r.session}` : ''}
                    · ${r.labels.map((x) => label.get(x) ?? x).join(', ')}
                  </p>
                </li>`,
            )}
          </ul>
          ${hits0.length > 500 ? html`<p>${t('quotes.first500')}</p>` : ''}
        `,
      ),
    );
  });
}
