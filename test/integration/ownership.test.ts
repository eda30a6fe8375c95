// Each table has one owner module; other modules call the owner's index.ts. This test reads every source
// file and fails when code names a table its module does not own, unless the place is in the list below
// of known trespasses still to move behind the owner's functions. The list may only shrink: a place that
// no longer trespasses must leave it, and a new one fails the test.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isRouteOrPage,
  moduleCycles,
  moduleImports,
  OWNERS,
  queriesInRoutes,
  trespasses,
} from '../support/ownership.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Known trespasses (file, table), to be moved behind the owner's index.ts: none left, and none may come back. */
const STILL_TO_MOVE: [string, string][] = [];

describe('table ownership', () => {
  it('finds no query naming another module’s table beyond the known list, and the list is not stale', () => {
    const found = trespasses(ROOT).map((t) => `${t.file} → ${t.table} (${t.owner})`);
    const known = new Set(STILL_TO_MOVE.map(([f, t]) => `${f} → ${t}`));
    const strip = (s: string) => s.replace(/ \([a-z]+\)$/, '');
    expect(found.filter((f) => !known.has(strip(f)))).toEqual([]);
    expect([...known].filter((k) => !found.some((f) => strip(f) === k))).toEqual([]);
  });

  it('keeps the composition root, the live answers’ copies and the demo free of other modules’ tables', () => {
    const files = new Set(trespasses(ROOT).map((t) => t.file));
    for (const f of [
      'src/server/wiring.ts',
      'src/modules/workbench/sources.live.ts',
      'src/modules/workbench/demo.ts',
      'src/modules/workbench/export.data.ts',
    ])
      expect(files.has(f), f).toBe(false);
  });

  it('notices a query on another module’s table', () => {
    // The detector, on a tree with one file written for the purpose, lists exactly that file.
    const list = trespasses(path.join(ROOT, 'test/fixtures/ownership'));
    expect(list).toEqual([
      { file: 'src/modules/workbench/reads-live.ts', table: 'live_response', owner: 'live' },
    ]);
  });

  it('runs no SQL in routes or pages: they call a repository or service', () => {
    expect(queriesInRoutes(ROOT)).toEqual([]);
  });

  it('notices SQL in a route or page file, and in a folder of pages', () => {
    expect(queriesInRoutes(path.join(ROOT, 'test/fixtures/ownership'))).toEqual([
      { file: 'src/modules/workbench/pages/inline.ts', line: 2, call: 'sql`' },
      { file: 'src/modules/workbench/queries.pages.ts', line: 2, call: 'selectFrom(' },
    ]);
    expect(isRouteOrPage('src/modules/live/live.routes.ts')).toBe(true);
    expect(isRouteOrPage('src/server/pages/index.ts')).toBe(true);
    expect(isRouteOrPage('src/server/pages.list.ts')).toBe(false);
    expect(isRouteOrPage('src/modules/live/live.service.ts')).toBe(false);
  });

  it('has no cycle among modules: accounts and series, series and live do not import each other', () => {
    const graph = moduleImports(ROOT);
    expect(graph.get('series')?.has('accounts')).toBe(true);
    expect(graph.get('accounts')?.has('series')).toBe(false);
    expect(moduleCycles(graph)).toEqual([]);
  });

  it('notices a cycle among modules', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(moduleCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    expect(moduleCycles(new Map([['a', new Set(['b'])]]))).toEqual([]);
  });

  it('gives every table of every module’s table file an owner, and ARCHITECTURE.md lists them', () => {
    const owned = new Set(Object.values(OWNERS).flat());
    const architecture = readFileSync(path.join(ROOT, 'ARCHITECTURE.md'), 'utf8');
    for (const [module, tables] of Object.entries(OWNERS))
      for (const t of tables) expect(architecture, `${module}: ${t}`).toMatch(new RegExp(`\\b${t}\\b`));
    for (const file of [
      'src/db/schema.ts',
      'src/modules/live/live.tables.ts',
      'src/modules/publishing/publishing.tables.ts',
      'src/modules/registration/registration.tables.ts',
      'src/modules/workbench/workbench.tables.ts',
    ]) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const block = /interface Database \{([\s\S]*?)\n\s*\}/.exec(text)?.[1] ?? '';
      for (const m of block.matchAll(/^\s+([a-z_]+):/gm))
        expect(owned.has(m[1]), `${file}: ${m[1]}`).toBe(true);
    }
  });
});
