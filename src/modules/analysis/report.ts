import type { Comparison } from './compare.ts';
import type { Finding } from './findings.ts';

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

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`;
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Renders a findings report as Markdown: findings with quotes, then a table of figures per prompt kind. */
export function renderMarkdown(
  report: FindingsReport,
  labelOf: (id: string) => string = (id) => id,
  groupOf: (key: string) => string = (key) => key,
): string {
  const lines: string[] = ['# Findings', ''];
  lines.push(
    `${report.n} coded responses${report.asOf ? ` as of ${report.asOf}` : ''}, compared by ${report.groupBy}.`,
    '',
  );
  lines.push(
    `Distinctive claims: ${report.claims.held} held, ${report.claims.notHeld} did not survive; ` +
      `${report.claims.tests} tests, Benjamini–Hochberg q ≤ ${report.claims.q}, at least ${report.claims.minSupport} mentions in the group.`,
    '',
  );
  for (const f of report.findings) {
    const s = f.claim?.sensitivity;
    const check = s
      ? ` _(n ${f.claim!.n}; q ${f.claim!.q.toFixed(3)}; without engine codes below ${s.minConfidence}: ` +
        `${s.withoutLowConfidence ? 'holds' : 'does not hold'}; ${s.firstHeld ? `holds since ${s.firstHeld}` : 'never held at a session date'})_`
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
      `## ${kind} (${k.n} responses)`,
      '',
      '| theme | count | share | 95% CI |',
      '|---|---:|---:|---|',
    );
    for (const t of k.themes.filter((x) => x.count > 0)) {
      lines.push(
        `| ${escapeCell(labelOf(t.id))} | ${t.count} | ${pct(t.share)} | ${pct(t.low)}–${pct(t.high)} |`,
      );
    }
    const across = report.acrossGroups[kind] ?? [];
    lines.push('', `Across the groups: ${across.length > 0 ? across.map(labelOf).join(', ') : 'none'}.`);
  }
  return lines.join('\n') + '\n';
}
