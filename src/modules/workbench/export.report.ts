// The findings report as Markdown and as DOCX with the bar charts as PNG images.
import {
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { ENGINE_VERSION, renderMarkdown, type FindingsReport } from '../analysis/index.ts';
import type { ExportData } from './export.data.ts';
import { compareSeries, withTexts } from './compare.service.ts';
import { claimsSummary, engineFindings } from './findings.service.ts';
import { barChartPng } from './png.ts';
import type { Db } from '../../db/index.ts';
import { fmt } from '../../lib/format.ts';
import { messages } from './messages/index.ts';

/** The findings report of the export's filters, in the engine's report shape. */
export async function findingsReport(db: Db, d: ExportData): Promise<FindingsReport> {
  const { comparison, rows: bare, loaded } = await compareSeries(db, d.series.id, d.filters);
  const rows = await withTexts(db, d.series.id, loaded, bare);
  return {
    engineVersion: ENGINE_VERSION,
    ...(comparison.asOf ? { asOf: comparison.asOf } : {}),
    groupBy: 'region',
    kindBy: 'prompt_kind',
    n: comparison.n,
    kinds: comparison.kinds,
    acrossGroups: comparison.acrossGroups,
    claims: claimsSummary(comparison, rows),
    findings: engineFindings(
      {
        ...loaded.codebook,
        themes: loaded.codebook.themes.map((t) => ({ ...t, label: d.labels.theme(t.id) })),
      },
      comparison,
      rows,
      d.labels.region,
      d.lang,
    ),
  };
}

/** The report as Markdown (the engine's renderer, with the codebook's labels). */
export function reportMarkdown(d: ExportData, report: FindingsReport): string {
  const md = renderMarkdown(report, d.labels.theme, d.labels.region, { lang: d.lang, kindOf: d.labels.kind });
  return `# ${d.series.title}\n\n${md}`;
}

/** The report as a Word document: findings with quotes, then per kind a chart image and its figures. */
export async function reportDocx(d: ExportData, report: FindingsReport): Promise<Buffer> {
  const label = d.labels.theme;
  const kindLabel = d.labels.kind;
  const t = messages.t(d.lang);
  const pct = (x: number) => fmt(d.lang).percent(x);
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: d.series.title, heading: HeadingLevel.TITLE }),
    new Paragraph({
      children: [
        new TextRun(
          report.asOf
            ? t('export.introAsOf', { n: report.n, asOf: report.asOf, engine: report.engineVersion })
            : t('export.intro', { n: report.n, engine: report.engineVersion }),
        ),
      ],
    }),
    new Paragraph({ text: t('export.findings'), heading: HeadingLevel.HEADING_1 }),
  ];
  for (const f of report.findings) {
    children.push(
      new Paragraph({
        children: [new TextRun({ text: `${kindLabel(f.kind)}. `, bold: true }), new TextRun(f.text)],
        bullet: { level: 0 },
      }),
    );
    for (const q of f.quotes)
      children.push(
        new Paragraph({
          children: [
            new TextRun({
              text: `“${q.text}” (${q.group ? d.labels.region(q.group) : ''}${q.language ? `, ${q.language}` : ''})`,
              italics: true,
            }),
          ],
          indent: { left: 720 },
        }),
      );
  }
  for (const [kind, k] of Object.entries(report.kinds)) {
    const themes = k.themes.filter((t) => t.count > 0).slice(0, 8);
    if (!themes.length) continue;
    children.push(
      new Paragraph({
        text: t('export.kindHeading', { kind: kindLabel(kind), n: k.n }),
        heading: HeadingLevel.HEADING_2,
      }),
    );
    const png = barChartPng(themes);
    const height = themes.length * 26 + 10;
    children.push(
      new Paragraph({
        children: [
          new ImageRun({
            type: 'png',
            data: png,
            transformation: { width: 480, height },
            altText: {
              name: t('export.chartName', { kind: kindLabel(kind) }),
              description: themes.map((t) => `${label(t.id)} ${pct(t.share)}`).join('; '),
              title: t('export.chartTitle', { kind: kindLabel(kind) }),
            },
          }),
        ],
      }),
    );
    const cell = (s: string, bold = false) =>
      new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: s, bold })] })] });
    children.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [
          new TableRow({
            children: [
              cell(t('export.col.theme'), true),
              cell(t('export.col.responses'), true),
              cell(t('export.col.share'), true),
              cell(t('export.col.interval'), true),
            ],
            tableHeader: true,
          }),
          ...themes.map(
            (t) =>
              new TableRow({
                children: [
                  cell(label(t.id)),
                  cell(String(t.count)),
                  cell(pct(t.share)),
                  cell(`${pct(t.low)}–${pct(t.high)}`),
                ],
              }),
          ),
        ],
      }),
    );
  }
  const doc = new Document({
    creator: 'Colloquy',
    title: t('export.docTitle', { title: d.series.title }),
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
