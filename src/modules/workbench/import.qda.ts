// REFI-QDA import: a .qdpx coded in NVivo, ATLAS.ti, MAXQDA or QualCoder comes back as people's codings.
import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';
import { invalid } from '../../lib/errors.ts';
import type { Db } from '../../db/index.ts';
import { checkWorkbook, MAX_IMPORT_BYTES } from './import.bounds.ts';
import { allThemes, ensureState } from './workbench.repository.ts';
import type { Actor } from '../accounts/index.ts';
import { codebookEdits, recordDecision } from './workbench.service.ts';

/** What an import of a .qdpx did, and why it left things out. */
export interface QdpxSummary {
  codes: { matched: number; added: string[] };
  codings: { added: number; unchanged: number };
  sources: { matched: number; byText: number };
  skipped: { source: string; reason: string }[];
}

interface QdeCode {
  guid: string;
  name: string;
}
interface QdeSelection {
  start: number;
  end: number;
  codes: string[];
}
interface QdeSource {
  guid: string;
  name: string;
  text: string | null;
  selections: QdeSelection[];
}

const bad = (message: string) => invalid('bad_qdpx', message, 'file');
type Node = Record<string, unknown>;
const list = (v: unknown): Node[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).filter(
    (x): x is Node => typeof x === 'object' && x !== null,
  );
const attr = (n: Node, k: string): string => (typeof n[`@${k}`] === 'string' ? (n[`@${k}`] as string) : '');

/** Reads project.qde and the source texts of a .qdpx; a file that is not one is refused with bad_qdpx (422). */
export async function readQdpx(buf: Buffer): Promise<{ codes: QdeCode[]; sources: QdeSource[] }> {
  if (buf.length > MAX_IMPORT_BYTES) throw bad('This file is larger than the import limit.');
  checkWorkbook(buf); // refuses a ZIP bomb by the sizes it declares, before anything is inflated
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buf);
  } catch {
    throw bad('This is not a REFI-QDA project (.qdpx): it is not a ZIP file.');
  }
  const qdeFile = zip.file(/(^|\/)project\.qde$/i)[0] ?? zip.file(/\.qde$/i)[0];
  if (!qdeFile) throw bad('This .qdpx holds no project.qde.');
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    processEntities: true,
    isArray: (name) => ['Code', 'TextSource', 'PlainTextSelection', 'Coding'].includes(name),
  });
  let doc: Node;
  try {
    doc = parser.parse(await qdeFile.async('string'), true) as Node;
  } catch {
    throw bad('The project.qde in this file is not well-formed XML.');
  }
  const project = list(doc.Project)[0];
  if (!project) throw bad('The project.qde in this file has no REFI-QDA Project element.');
  const codes: QdeCode[] = [];
  const walk = (ns: Node[]) => {
    for (const c of ns) {
      if (attr(c, 'guid') && attr(c, 'name')) codes.push({ guid: attr(c, 'guid'), name: attr(c, 'name') });
      walk(list(c.Code));
    }
  };
  for (const cb of list(project.CodeBook)) for (const cs of list(cb.Codes)) walk(list(cs.Code));
  const sources: QdeSource[] = [];
  for (const ss of list(project.Sources))
    for (const s of list(ss.TextSource)) {
      const path = attr(s, 'plainTextPath');
      // internal:// paths live under sources/ in the zip; an embedded text may be given instead.
      const inZip = path.startsWith('internal://')
        ? zip.file(`sources/${path.slice('internal://'.length)}`)
        : null;
      const embedded = s.PlainTextContent;
      const text = inZip ? await inZip.async('string') : typeof embedded === 'string' ? embedded : null;
      const selections: QdeSelection[] = list(s.PlainTextSelection).map((p) => ({
        start: Number(attr(p, 'startPosition')),
        end: Number(attr(p, 'endPosition')),
        codes: list(p.Coding).flatMap((c) => list(c.CodeRef).map((r) => attr(r, 'targetGUID'))),
      }));
      sources.push({ guid: attr(s, 'guid'), name: attr(s, 'name'), text, selections });
    }
  return { codes, sources };
}

/** REFI-QDA counts characters (code points); this gives the UTF-16 offset of a code-point position. */
function utf16(text: string, cp: number): number {
  let i = 0;
  for (let n = 0; n < cp && i < text.length; n++) i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  return i;
}

const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Imports a .qdpx into a series (inside the caller's transaction): codes are matched to themes by
 * name and unknown codes become new themes; each coded selection on a source that matches an item
 * (by GUID, then by identical text) becomes an accepted coding by the actor, unless it is already there.
 */
export async function importQdpx(
  db: Db,
  actor: Actor | null,
  seriesId: string,
  buf: Buffer,
): Promise<QdpxSummary> {
  const qde = await readQdpx(buf);
  const out: QdpxSummary = {
    codes: { matched: 0, added: [] },
    codings: { added: 0, unchanged: 0 },
    sources: { matched: 0, byText: 0 },
    skipped: [],
  };
  await ensureState(db, seriesId);
  const themes = (await allThemes(db, seriesId)).filter((t) => !t.merged_into);
  const byName = new Map(themes.map((t) => [norm(t.label), t.key]));
  const codeKey = new Map<string, string>();
  for (const c of qde.codes) {
    const known = byName.get(norm(c.name));
    if (known) {
      out.codes.matched++;
      codeKey.set(c.guid, known);
      continue;
    }
    // Only codes that are used become themes: a codebook's unused codes stay in the other tool.
    if (!qde.sources.some((s) => s.selections.some((p) => p.codes.includes(c.guid)))) continue;
    const key = await codebookEdits.create(db, seriesId, { label: c.name.slice(0, 120) });
    byName.set(norm(c.name), key);
    codeKey.set(c.guid, key);
    out.codes.added.push(c.name);
  }
  const items = await db
    .selectFrom('wb_item')
    .select(['id', 'text', 'engine_labels'])
    .where('series_id', '=', seriesId)
    .execute();
  const byId = new Map(items.map((i) => [i.id, i]));
  const byText = new Map<string, (typeof items)[number] | null>();
  // A text shared by several items matches none of them: the coding's place would be a guess.
  for (const i of items) byText.set(i.text, byText.has(i.text) ? null : i);
  const existing = await db
    .selectFrom('wb_coding')
    .select(['item_id', 'theme_key', 'start_offset', 'end_offset', 'decision'])
    .where('series_id', '=', seriesId)
    .execute();
  const had = new Set(
    existing
      .filter((c) => c.decision === 'accept')
      .map((c) => `${c.item_id}|${c.theme_key}|${c.start_offset ?? ''}|${c.end_offset ?? ''}`),
  );
  for (const s of qde.sources) {
    if (!s.selections.some((p) => p.codes.length)) continue;
    const name = s.name || s.guid;
    let item = byId.get(s.guid);
    if (item) out.sources.matched++;
    else if (s.text !== null && byText.get(s.text)) {
      item = byText.get(s.text)!;
      out.sources.byText++;
    }
    if (!item) {
      out.skipped.push({
        source: name,
        reason:
          s.text !== null && byText.get(s.text) === null
            ? 'Its text is that of several responses; it is not clear which one was coded.'
            : 'No response of this series has its id or its text.',
      });
      continue;
    }
    const cps = [...item.text].length;
    // The source's text must be the item's: positions in another text would code the wrong words.
    if (s.text !== null && s.text !== item.text) {
      out.skipped.push({ source: name, reason: 'Its text differs from the response with the same id.' });
      continue;
    }
    for (const p of s.selections) {
      if (
        !Number.isInteger(p.start) ||
        !Number.isInteger(p.end) ||
        p.start < 0 ||
        p.end > cps ||
        p.start >= p.end
      ) {
        out.skipped.push({ source: name, reason: `A selection (${p.start}–${p.end}) is outside the text.` });
        continue;
      }
      const whole = p.start === 0 && p.end === cps;
      const start = whole ? null : utf16(item.text, p.start);
      const end = whole ? null : utf16(item.text, p.end);
      for (const g of p.codes) {
        const key = codeKey.get(g);
        if (!key) {
          out.skipped.push({ source: name, reason: 'A coding refers to a code the codebook does not have.' });
          continue;
        }
        const sig = `${item.id}|${key}|${start ?? ''}|${end ?? ''}`;
        // Already coded by a person, or (whole response) already the engine's label: nothing new.
        if (had.has(sig) || (whole && item.engine_labels.split(';').includes(key))) {
          out.codings.unchanged++;
          continue;
        }
        await recordDecision(db, actor, seriesId, item.id, { themeKey: key, decision: 'accept', start, end });
        had.add(sig);
        out.codings.added++;
      }
    }
  }
  return out;
}
