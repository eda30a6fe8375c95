import type { Comparison } from './compare.ts';
import type { Finding } from './findings.ts';
import { fmt } from '../../lib/format.ts';
import { messages } from './messages/index.ts';

/** The correction behind the distinctive claims of one report. */
export interface ClaimsSummary {
  /** Tests made for the report (prompt kinds × groups × themes), all in one Benjamini–Hochberg family. */
  tests: number;
  q: number;
  minSupport: number;
  held: number;
  notHeld: number;
}

/** The findings report: what `colloquy findings --format json` prints. */
export interface FindingsReport {
  engineVersion: string;
  asOf?: string;
  groupBy: string;
  kindBy?: string;
  n: number;
  kinds: Comparison['kinds'];
  acrossGroups: Comparison['acrossGroups'];
  claims: ClaimsSummary;
  findings: Finding[];
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Renders a findings report as Markdown: findings with quotes, then a table of figures per prompt kind.
 * Headings and column labels are in `opts.lang` (English by default); `kindOf` names a prompt kind.
 */
export function renderMarkdown(
  report: FindingsReport,
  labelOf: (id: string) => string = (id) => id,
  groupOf: (key: string) => string = (key) => key,
  opts: { lang?: string; kindOf?: (key: string) => string } = {},
): string {
  const t = messages.t(opts.lang);
  const pct = (x: number) => fmt(opts.lang).percent(x);
  const kindOf = opts.kindOf ?? ((k: string) => k);
  const c = report.claims;
  const lines: string[] = [`# ${t('report.title')}`, ''];
  lines.push(
    report.asOf
      ? t('report.introAsOf', { n: report.n, asOf: report.asOf, groupBy: report.groupBy })
      : t('report.intro', { n: report.n, groupBy: report.groupBy }),
    '',
  );
  lines.push(
    t('report.claims', { held: c.held, notHeld: c.notHeld, tests: c.tests, q: c.q, min: c.minSupport }),
    '',
  );
  for (const f of report.findings) {
    const s = f.claim?.sensitivity;
    const check = s
      ? ` _(${t('report.check', {
          n: f.claim!.n,
          q: f.claim!.q.toFixed(3),
          min: s.minConfidence,
          holds: s.withoutLowConfidence ? 'yes' : 'no',
        })}; ${s.firstHeld ? t('report.since', { date: s.firstHeld }) : t('report.never')})_`
      : '';
    lines.push(f.held ? `- ${f.text}${check}` : `- ~~${f.text}~~${check}`);
    for (const q of f.quotes)
      lines.push(
        `  > “${escapeCell(q.text)}” — ${q.id}${q.group ? `, ${groupOf(q.group)}` : ''}${q.language ? ` (${q.language})` : ''}`,
      );
  }
  for (const [kind, k] of Object.entries(report.kinds)) {
    lines.push(
      '',
      `## ${t('report.kindHeading', { kind: kindOf(kind), n: k.n })}`,
      '',
      `| ${t('report.col.theme')} | ${t('report.col.count')} | ${t('report.col.share')} | ${t('report.col.ci')} |`,
      '|---|---:|---:|---|',
    );
    for (const th of k.themes.filter((x) => x.count > 0)) {
      lines.push(
        `| ${escapeCell(labelOf(th.id))} | ${th.count} | ${pct(th.share)} | ${pct(th.low)}–${pct(th.high)} |`,
      );
    }
    const across = report.acrossGroups[kind] ?? [];
    lines.push(
      '',
      t('report.across', { list: across.length > 0 ? across.map(labelOf).join(', ') : t('report.none') }),
    );
  }
  return lines.join('\n') + '\n';
}
