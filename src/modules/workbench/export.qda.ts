// REFI-QDA exchange: the codebook as .qdc and the project as .qdpx (zip of project.qde + sources/*.txt).
import { strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { idFromName } from '../../lib/ids.ts';
import type { ExportData } from './export.data.ts';
import type { WbThemeTable } from './workbench.tables.ts';

/** Escapes text for XML attributes and content. */
export function xml(s: string): string {
  // Characters XML 1.0 cannot carry are dropped.

  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A stable GUID derived from a name (for things without an id of their own, like the engine as a user). */
export const guidFrom = idFromName;

/** REFI-QDA counts positions in characters (code points), JavaScript in UTF-16 units. */
export function codePoints(text: string, offset: number): number {
  return [...text.slice(0, offset)].length;
}

function codesXml(themes: readonly WbThemeTable[], indent: string): string {
  const active = themes.filter((t) => !t.merged_into);
  const keys = new Set(active.map((t) => t.key));
  const children = (parent: string | null): WbThemeTable[] =>
    active.filter((t) => (t.parent_key && keys.has(t.parent_key) ? t.parent_key : null) === parent);
  const one = (t: WbThemeTable, pad: string): string => {
    const kids = children(t.key);
    const desc = t.description ? `${pad}  <Description>${xml(t.description)}</Description>\n` : '';
    const inner = desc + kids.map((k) => one(k, `${pad}  `)).join('');
    return inner
      ? `${pad}<Code guid="${t.id}" name="${xml(t.label)}" isCodable="true">\n${inner}${pad}</Code>\n`
      : `${pad}<Code guid="${t.id}" name="${xml(t.label)}" isCodable="true"/>\n`;
  };
  return `${indent}<Codes>\n${children(null)
    .map((t) => one(t, `${indent}  `))
    .join('')}${indent}</Codes>\n`;
}

/** The codebook as a REFI-QDA codebook file (.qdc). */
export function codebookQdc(d: Pick<ExportData, 'themes'>): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Colloquy">\n${codesXml(d.themes, '  ')}</CodeBook>\n`;
}

/** The project as a REFI-QDA project file (.qdpx): users, codebook, one text source per unit with its codings. */
export async function projectQdpx(d: ExportData, now = new Date().toISOString()): Promise<Buffer> {
  const engineUser = guidFrom(`colloquy-engine:${d.series.id}`);
  const users = new Map<string, string>([[engineUser, 'Colloquy engine']]);
  for (const c of d.codings) if (c.account_id) users.set(c.account_id, c.accountName ?? 'Analyst');
  const themeGuid = new Map(d.themes.filter((t) => !t.merged_into).map((t) => [t.key, t.id]));
  const byItem = new Map<string, ExportData['codings']>();
  for (const c of d.codings) {
    const list = byItem.get(c.item_id);
    if (list) list.push(c);
    else byItem.set(c.item_id, [c]);
  }
  const out = zipWriter();
  // A unit is a few hundred bytes: deflating each on its own (a fresh compressor per file) took most
  // of a 50,000-unit export's time and memory for little gain; they are stored, the project compressed.
  for (const it of d.items) await out.add(`sources/${it.id}.txt`, it.text, false);
  // The project file is written as it is made, a megabyte at a time, never as one string.
  const { variables, cases } = casesXml(d);
  const qde = out.stream('project.qde');
  await qde.write(
    `<?xml version="1.0" encoding="utf-8"?>\n` +
      `<Project xmlns="urn:QDA-XML:project:1.0" name="${xml(d.series.title)}" origin="Colloquy" creatingUserGUID="${engineUser}" creationDateTime="${now}">\n` +
      `  <Users>\n${[...users].map(([g, n]) => `    <User guid="${g}" name="${xml(n)}"/>\n`).join('')}  </Users>\n` +
      `  <CodeBook>\n${codesXml(d.themes, '    ')}  </CodeBook>\n` +
      variables +
      cases +
      `  <Sources>\n`,
  );
  for (const it of d.items) {
    const len = codePoints(it.text, it.text.length);
    const people = byItem.get(it.id) ?? [];
    const selections: string[] = [];
    const coded = new Set<string>();
    // People's accepted codings (their spans, or the whole unit), then the engine's for the rest of the final labels.
    for (const c of people) {
      const g = themeGuid.get(c.theme_key);
      if (c.decision !== 'accept' || !g || !it.labels.includes(c.theme_key)) continue;
      const start = c.start_offset === null ? 0 : codePoints(it.text, c.start_offset);
      const end = c.end_offset === null ? len : codePoints(it.text, c.end_offset);
      const user = c.account_id ?? engineUser;
      selections.push(
        selection(guidFrom(`sel:${c.id}`), start, end, user, c.created_at, guidFrom(`coding:${c.id}`), g),
      );
      coded.add(c.theme_key);
    }
    for (const k of it.labels) {
      const g = themeGuid.get(k);
      if (!g || coded.has(k)) continue;
      selections.push(
        selection(
          guidFrom(`sel:${it.id}:${k}`),
          0,
          len,
          engineUser,
          now,
          guidFrom(`coding:${it.id}:${k}`),
          g,
        ),
      );
    }
    const name =
      `${it.region ? d.labels.region(it.region) : 'unit'} ${it.prompt_kind ? d.labels.kind(it.prompt_kind) : ''} ${it.external_id}`
        .replace(/\s+/g, ' ')
        .trim();
    const desc = [
      it.session && `session: ${it.session}`,
      it.language && `language: ${it.language}`,
      it.career_stage && `career stage: ${it.career_stage}`,
      it.submitted_at && `submitted: ${it.submitted_at}`,
    ]
      .filter(Boolean)
      .join('; ');
    await qde.write(
      `    <TextSource guid="${it.id}" name="${xml(name)}" plainTextPath="internal://${it.id}.txt" creatingUser="${engineUser}" creationDateTime="${it.created_at}">\n` +
        (desc ? `      <Description>${xml(desc)}</Description>\n` : '') +
        selections.join('') +
        `    </TextSource>\n`,
    );
  }
  qde.end(`  </Sources>\n</Project>\n`);
  return out.end();
}

/**
 * A ZIP file written entry by entry (fflate): each entry is compressed as it is added and only the
 * compressed bytes are kept, and the event loop gets a turn every few hundred entries and every
 * megabyte, so a 50,000-unit project does not hold a live room's answers up while it is built.
 */
function zipWriter() {
  const chunks: Uint8Array[] = [];
  let failed: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failed = err;
    else chunks.push(data);
  });
  let entries = 0;
  const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    async add(name: string, text: string, deflate: boolean): Promise<void> {
      const file = deflate ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
      zip.add(file);
      const bytes = strToU8(text);
      const STEP = 1 << 20;
      for (let at = 0; at < bytes.length || at === 0; at += STEP) {
        file.push(bytes.subarray(at, at + STEP), at + STEP >= bytes.length);
        if (bytes.length > STEP) await pause();
      }
      if (++entries % 500 === 0) await pause();
      if (failed) throw failed;
    },
    /** An entry written piece by piece (deflated), for a file too big to hold as one string. */
    stream(name: string) {
      const file = new ZipDeflate(name, { level: 6 });
      zip.add(file);
      let buf = '';
      return {
        async write(text: string): Promise<void> {
          buf += text;
          if (buf.length < 1 << 20) return;
          file.push(strToU8(buf), false);
          buf = '';
          await pause();
          if (failed) throw failed;
        },
        end(text = ''): void {
          file.push(strToU8(buf + text), true);
          buf = '';
          if (failed) throw failed;
        },
      };
    },
    end(): Buffer {
      zip.end();
      if (failed) throw failed;
      return Buffer.concat(chunks);
    },
  };
}

function selection(
  guid: string,
  start: number,
  end: number,
  user: string,
  at: string,
  codingGuid: string,
  codeGuid: string,
): string {
  return (
    `      <PlainTextSelection guid="${guid}" startPosition="${start}" endPosition="${end}" creatingUser="${user}" creationDateTime="${at}">\n` +
    `        <Coding guid="${codingGuid}" creatingUser="${user}" creationDateTime="${at}">\n` +
    `          <CodeRef targetGUID="${codeGuid}"/>\n` +
    `        </Coding>\n` +
    `      </PlainTextSelection>\n`
  );
}

const BASE_VARIABLES = ['region', 'country', 'career_stage', 'language', 'session'] as const;
// Ids in a live answer's attributes are links, not attributes to analyse by.
const NOT_VARIABLES = new Set(['session_id', 'prompt_id', 'registration_id', 'participant']);

/**
 * REFI-QDA Variables and Cases: one Case per participant (a transcript's or chat's speaker, an
 * imported row's respondent, a live participant by the pseudonym their answers carry, named
 * "Participant 1, 2…"; an answer copied without one is its own case),
 * with region, country, career stage, language, session and the attributes chosen for analysis as
 * Variables, so a by-region query runs in NVivo, ATLAS.ti or MAXQDA without classifying by hand.
 */
export function casesXml(d: Pick<ExportData, 'items' | 'labels' | 'series'>): {
  variables: string;
  cases: string;
} {
  const names = new Set<string>(BASE_VARIABLES);
  const participants = new Map<string, number>();
  const rows = d.items.map((it) => {
    const groups = ((): Record<string, unknown> => {
      try {
        return JSON.parse(it.groups) as Record<string, unknown>;
      } catch {
        return {};
      }
    })();
    const values = new Map<string, string>();
    const put = (k: string, v: unknown) => {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        if (String(v).trim()) values.set(k, String(v).trim());
    };
    put('region', it.region ? d.labels.region(it.region) : null);
    put('career_stage', it.career_stage);
    put('language', it.language);
    put('session', it.session);
    put('country', groups.country ?? groups.Country);
    // Live answers carry only the attributes marked for analysis; an imported row carries the whole
    // row (free text included), so only its mapped columns become variables.
    if (it.sourceKind === 'live')
      for (const [k, v] of Object.entries(groups)) if (!NOT_VARIABLES.has(k) && !values.has(k)) put(k, v);
    for (const k of values.keys()) names.add(k);
    const pseudonym =
      it.sourceKind === 'live' && typeof groups.participant === 'string' ? groups.participant : null;
    if (pseudonym && !participants.has(pseudonym)) participants.set(pseudonym, participants.size + 1);
    const key = pseudonym
      ? `participant:${pseudonym}`
      : it.sourceKind === 'live'
        ? `unit:${it.id}`
        : `${it.source_id}:${it.speaker || it.external_id}`;
    const label = pseudonym ? `Participant ${participants.get(pseudonym)}` : it.speaker || it.external_id;
    return { key, label, values, source: it.id };
  });
  const varGuid = new Map([...names].map((n) => [n, guidFrom(`variable:${d.series.id}:${n}`)]));
  const byCase = new Map<string, { label: string; values: Map<string, string>; sources: string[] }>();
  for (const r of rows) {
    const c = byCase.get(r.key) ?? { label: r.label, values: new Map<string, string>(), sources: [] };
    for (const [k, v] of r.values) if (!c.values.has(k)) c.values.set(k, v);
    c.sources.push(r.source);
    byCase.set(r.key, c);
  }
  const variables =
    `  <Variables>\n` +
    [...varGuid]
      .map(([n, g]) => `    <Variable guid="${g}" name="${xml(n)}" typeOfVariable="Text"/>\n`)
      .join('') +
    `  </Variables>\n`;
  const cases =
    `  <Cases>\n` +
    [...byCase]
      .map(
        ([key, c]) =>
          `    <Case guid="${guidFrom(`case:${d.series.id}:${key}`)}" name="${xml(c.label)}">\n` +
          [...c.values]
            .map(
              ([k, v]) =>
                `      <VariableValue>\n        <VariableRef targetGUID="${varGuid.get(k)}"/>\n        <TextValue>${xml(v)}</TextValue>\n      </VariableValue>\n`,
            )
            .join('') +
          c.sources.map((g) => `      <SourceRef targetGUID="${g}"/>\n`).join('') +
          `    </Case>\n`,
      )
      .join('') +
    `  </Cases>\n`;
  return { variables, cases };
}
