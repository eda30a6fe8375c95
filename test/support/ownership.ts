// Which module owns which table, and where code names a table it does not own. The table below is the
// one in ARCHITECTURE.md ("Who owns which tables"); the ownership test keeps both true.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Each module's tables: only that module's queries may name them. */
export const OWNERS: Record<string, readonly string[]> = {
  accounts: ['account', 'auth_session', 'role_grant', 'invitation', 'audit_log'],
  series: ['series', 'region', 'session', 'organisation', 'person', 'presentation', 'presentation_person'],
  notify: ['mail_log', 'job', 'instance_setting', 'calendar_sequence'],
  registration: [
    'registration_question',
    'registration_settings',
    'registration',
    'attendance',
    'registrant_mail',
  ],
  live: [
    'live_room',
    'live_prompt',
    'live_kind',
    'live_room_prompt',
    'live_participant',
    'live_response',
    'live_upvote',
    'live_blocked_word',
  ],
  workbench: [
    'wb_state',
    'wb_theme',
    'wb_source',
    'wb_item',
    'wb_coding',
    'wb_job',
    'wb_snapshot_input',
    'wb_engine',
    'wb_upload',
    'wb_export',
  ],
  publishing: [
    'post',
    'comment',
    'snapshot',
    'upload',
    'publishing_setting',
    'oidc_login',
    'reader_session',
    'congress_session',
  ],
};

const OWNER_OF = new Map(Object.entries(OWNERS).flatMap(([m, ts]) => ts.map((t) => [t, m] as const)));

/** Query-builder calls and SQL keywords that name a table. */
const TABLE_REF =
  /\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|replaceInto)\(\s*['"`]([a-z_]+)|\b(?:from|into|update|join)\s+"?([a-z_]+)"?\s/g;

/** A place where code names a table another module owns. */
export interface Trespass {
  file: string;
  table: string;
  owner: string;
}

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) yield p;
  }
}

/** Every file under `src/` (migrations aside) that names a table its module does not own. */
export function trespasses(root: string): Trespass[] {
  const out: Trespass[] = [];
  const src = path.join(root, 'src');
  for (const file of sources(src)) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    // Migrations create every table; the migrator and the database set-up are not a module's queries.
    if (rel.startsWith('src/db/')) continue;
    const m = /^src\/modules\/([a-z-]+)\//.exec(rel);
    const mine = m ? m[1] : null;
    const text = readFileSync(file, 'utf8');
    const seen = new Set<string>();
    for (const hit of text.matchAll(TABLE_REF)) {
      const table = hit[1] ?? hit[2];
      const owner = OWNER_OF.get(table);
      if (!owner || owner === mine || seen.has(table)) continue;
      seen.add(table);
      out.push({ file: rel, table, owner });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.table.localeCompare(b.table));
}

const IMPORT_RE = /\b(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Which modules each module's source (tests aside) imports, by module name. */
export function moduleImports(root: string): Map<string, Set<string>> {
  const modules = path.join(root, 'src', 'modules');
  const graph = new Map<string, Set<string>>();
  for (const file of sources(modules)) {
    const from = path.relative(modules, file).split(path.sep)[0];
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const hit of readFileSync(file, 'utf8').matchAll(IMPORT_RE)) {
      const spec = hit[1] ?? hit[2];
      if (!spec.startsWith('.')) continue;
      const target = path.relative(modules, path.resolve(path.dirname(file), spec));
      if (target.startsWith('..')) continue;
      const to = target.split(path.sep)[0];
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Each cycle among modules, as the path that closes it (["a", "b", "a"]); none when the graph is a DAG. */
export function moduleCycles(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (m: string) => {
    state.set(m, 'open');
    stack.push(m);
    for (const next of graph.get(m) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(m, 'done');
  };
  for (const m of [...graph.keys()].sort()) if (!state.has(m)) visit(m);
  return cycles;
}

/** Kysely calls that run SQL: a route or page calls a repository or service instead. */
const QUERY_CALL =
  /\b(?:selectFrom|insertInto|updateTable|deleteFrom|replaceInto)\(|\bsql`|\.execute(?:TakeFirst(?:OrThrow)?)?\(/g;

/** A route or page file (`*.routes.ts`, `*.pages.ts`, or any file in a folder named so), as a path under `root`. */
export function isRouteOrPage(rel: string): boolean {
  return rel.split('/').some((part) => /(?:routes|pages)(?:\.ts)?$/.test(part.replace(/\.ts$/, '')));
}

/** Every route or page file under `src/` that calls Kysely, with the first call found on each line. */
export function queriesInRoutes(root: string): { file: string; line: number; call: string }[] {
  const out: { file: string; line: number; call: string }[] = [];
  for (const file of sources(path.join(root, 'src'))) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (!isRouteOrPage(rel)) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (/^\s*(?:\/\/|\*)/.test(text)) return;
        const hit = text.match(QUERY_CALL);
        if (hit) out.push({ file: rel, line: i + 1, call: hit[0] });
      });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}
