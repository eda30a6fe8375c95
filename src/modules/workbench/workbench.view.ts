// Shared markup of the workbench pages: the frame with its tabs, heatmap colours, bar charts with intervals.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, raw, type Html } from '../../lib/html.ts';
import { page } from '../../server/layout.ts';
import { fmt } from '../../lib/format.ts';
import { kindLabelIn } from './labels.ts';
import { messages } from './messages/index.ts';

export const WB_CSS = `
.wb-tabs{display:flex;gap:.3rem;flex-wrap:wrap;border-bottom:1px solid var(--line);margin:0 0 1rem;padding:0;list-style:none}
.wb-tabs a{display:inline-block;padding:.4rem .8rem;text-decoration:none;border:1px solid transparent;border-bottom:0;border-radius:6px 6px 0 0}
.wb-tabs a[aria-current=page]{border-color:var(--line);background:var(--soft);font-weight:600;color:var(--fg)}
main{max-width:72rem}.heat{font-variant-numeric:tabular-nums;margin:.5rem 0 1rem}.heat th,.heat td{text-align:center;padding:.3rem .4rem;border:1px solid var(--line)}
.heat th[scope=row]{text-align:start}.heat td a{display:block;color:#1b1f24;text-decoration:none}.heat td a:hover,.heat td a:focus{text-decoration:underline}
.heat small{color:#1b1f24}.unit-text{white-space:pre-wrap;font-size:1.1rem;border-inline-start:4px solid var(--accent);margin:.5rem 0;padding:.4rem .8rem;background:var(--soft)}
.queue{list-style:none;padding:0}.queue>li{border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;margin:.8rem 0}
.queue>li.current{border:2px solid var(--accent)}.meta{color:var(--muted);font-size:.92rem}.pill{display:inline-block;border:1px solid var(--line);border-radius:999px;padding:0 .5rem;margin:.1rem;font-size:.9rem}
.actions{display:flex;gap:.6rem;flex-wrap:wrap;align-items:flex-end}.actions button{margin-top:.4rem}.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.ok{color:var(--ok);font-weight:600}.bad{color:var(--bad);font-weight:600}progress{width:100%;max-width:30rem;height:1.2rem}
.finding textarea{min-height:4.5rem}.quotes{margin:.3rem 0 0 1rem}.quotes blockquote{margin:0}.exports{display:flex;gap:.5rem;flex-wrap:wrap}
.exports .button{margin-top:.3rem}
`;

const TABS = [
  ['', 'tab.overview'],
  ['/review', 'tab.review'],
  ['/codebook', 'tab.codebook'],
  ['/compare', 'tab.compare'],
  ['/findings', 'tab.findings'],
  ['/exports', 'tab.exports'],
] as const;

/** Base path of a series' workbench pages. */
export const wbPath = (seriesId: string): string => `/console/series/${seriesId}/workbench`;

/** A workbench page: series link, tabs, the body. */
export function wbPage(
  req: FastifyRequest,
  s: { id: string; title: string },
  tab: string,
  title: string,
  body: Html,
  opts: { head?: Html; scripts?: string[] } = {},
): string {
  const base = wbPath(s.id);
  const t = messages.t(req.lang);
  return page(
    req,
    {
      title: `${title} · ${s.title}`,
      head: html`<style>
          ${raw(WB_CSS)}</style
        >${opts.head ?? ''}`,
      scripts: opts.scripts,
    },
    html`<p><a href="/console/series/${s.id}" data-user-content>${s.title}</a> › ${t('frame.crumb')}</p>
      <nav aria-label="${t('frame.nav')}">
        <ul class="wb-tabs">
          ${TABS.map(([p, l]) => html`<li><a href="${base}${p}" ${tab === p ? raw('aria-current="page"') : ''}>${t(l)}</a></li>`)}
        </ul>
      </nav>
      <h1>${title}</h1>
      ${body}`,
  );
}

/** Sends a page as HTML. */
export const sendHtml = (reply: FastifyReply, body: string, status = 200) =>
  reply.status(status).type('text/html; charset=utf-8').send(body);

/** Background colour of a heatmap cell: white to blue by intensity (text stays dark: contrast ≥ 4.5). */
export function heatColour(intensity: number): string {
  const t = Math.max(0, Math.min(1, intensity));
  const c = (from: number, to: number) => Math.round(from + (to - from) * t);
  return `rgb(${c(255, 120)},${c(255, 180)},${c(255, 240)})`;
}

/** A share as a percentage in the reader's language ("42 %" in French, "٤٢٪" in Arabic). */
export const pct = (x: number, lang = 'en'): string => fmt(lang).percent(x);

/** A horizontal bar chart of shares with their 95% Wilson intervals, as inline SVG with a text alternative. */
export function barChartSvg(
  id: string,
  kind: string,
  bars: readonly { label: string; count: number; share: number; low: number; high: number }[],
  lang = 'en',
): Html {
  const t = messages.t(lang);
  const f = fmt(lang);
  const p = (x: number) => pct(x, lang);
  const kindName = kindLabelIn(lang)(kind);
  const W = 640;
  const labelW = 230;
  const barMax = W - labelW - 90;
  const rowH = 26;
  const H = bars.length * rowH + 24;
  const x = (v: number) => labelW + Math.round(barMax * Math.max(0, Math.min(1, v)));
  const desc = bars
    .map((b) =>
      t('chart.bar', {
        label: b.label,
        share: p(b.share),
        count: f.number(b.count),
        low: p(b.low),
        high: p(b.high),
      }),
    )
    .join('; ');
  return html`<figure>
    <svg
      role="img"
      aria-labelledby="${id}-t ${id}-d"
      viewBox="0 0 ${W} ${H}"
      width="100%"
      style="max-width:${W}px"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id="${id}-t">${t('chart.title', { kind: kindName })}</title>
      <desc id="${id}-d">${desc}</desc>
      ${bars.map((b, i) => {
        const y = 4 + i * rowH;
        return html`<g>
          <text x="${labelW - 8}" y="${y + 17}" text-anchor="end" font-size="13" fill="#1b1f24"
            >${b.label.length > 32 ? `${b.label.slice(0, 31)}…` : b.label}</text
          >
          <rect
            x="${labelW}"
            y="${y + 4}"
            width="${Math.max(2, x(b.share) - labelW)}"
            height="16"
            fill="#0b5cad"
          ></rect>
          <line
            x1="${x(b.low)}"
            x2="${x(b.high)}"
            y1="${y + 12}"
            y2="${y + 12}"
            stroke="#1b1f24"
            stroke-width="1.5"
          ></line>
          <line x1="${x(b.low)}" x2="${x(b.low)}" y1="${y + 7}" y2="${y + 17}" stroke="#1b1f24"></line>
          <line x1="${x(b.high)}" x2="${x(b.high)}" y1="${y + 7}" y2="${y + 17}" stroke="#1b1f24"></line>
          <text x="${x(b.high) + 6}" y="${y + 17}" font-size="13" fill="#1b1f24"
            >${p(b.share)} (${f.number(b.count)})</text
          >
        </g>`;
      })}
      <line x1="${labelW}" x2="${labelW}" y1="0" y2="${H - 20}" stroke="#8c959f"></line>
      <text x="${labelW}" y="${H - 4}" font-size="11" fill="#57606a">${p(0)}</text>
      <text x="${labelW + barMax}" y="${H - 4}" font-size="11" fill="#57606a" text-anchor="end">${p(1)}</text>
    </svg>
    <figcaption>
      ${t('chart.caption', { kind: kindName })}
    </figcaption>
  </figure>`;
}
