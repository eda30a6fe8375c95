import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type DbHandle } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { makeSeries } from '../../test/support/factories.ts';
import { importSource } from '../modules/workbench/index.ts';
import { DIALECT } from '../../test/support/db.ts';
import { exportCommand } from './export-command.ts';

// The command opens the configured database itself: the run's PostgreSQL, or an SQLite file in --data.
const dataDir = mkdtempSync(join(tmpdir(), 'colloquy-export-'));
let h: DbHandle;
beforeAll(async () => {
  h =
    DIALECT === 'postgres'
      ? openDatabase({ databaseUrl: process.env.DATABASE_URL })
      : openDatabase({ sqliteFile: join(dataDir, 'colloquy.sqlite') });
  await migrateToLatest(h.db);
});
afterAll(async () => h.close());

const quiet = () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  return { log, err, restore: () => (log.mockRestore(), err.mockRestore()) };
};

describe(`colloquy export (${DIALECT})`, () => {
  it('writes a coded CSV and a QDPX project for a series given by its slug', async () => {
    const s = await makeSeries(h.db);
    await importSource(h.db, s.id, {
      kind: 'csv',
      name: 'survey',
      data: Buffer.from(
        'id,region,prompt_kind,text\na,europe,best_practice,A mentor helped me.\nb,europe,need,We need leadership training.\n',
      ),
    });
    const out = join(dataDir, `${s.slug}.csv`);
    const q = quiet();
    try {
      expect(
        await exportCommand(['--series', s.slug, '--format', 'csv', '--output', out, '--data', dataDir]),
      ).toBe(0);
      const csv = readFileSync(out, 'utf8');
      expect(csv.split('\r\n')[1]).toContain('mentoring');
      const qdpx = join(dataDir, `${s.slug}.qdpx`);
      expect(
        await exportCommand(['--series', s.id, '--format', 'qdpx', '--output', qdpx, '--data', dataDir]),
      ).toBe(0);
      const zip = await JSZip.loadAsync(readFileSync(qdpx));
      expect(await zip.file('project.qde')!.async('string')).toContain(
        '<Project xmlns="urn:QDA-XML:project:1.0"',
      );
    } finally {
      q.restore();
    }
  });

  it('refuses an unknown series or format with status 2 and says why', async () => {
    const q = quiet();
    try {
      expect(
        await exportCommand([
          '--series',
          'no-such-series',
          '--format',
          'csv',
          '--output',
          join(dataDir, 'x.csv'),
          '--data',
          dataDir,
        ]),
      ).toBe(2);
      expect(q.err.mock.calls[0][0]).toContain('there is no series "no-such-series"');
      expect(
        await exportCommand([
          '--series',
          'x',
          '--format',
          'pdf',
          '--output',
          join(dataDir, 'x.pdf'),
          '--data',
          dataDir,
        ]),
      ).toBe(2);
      expect(q.err.mock.calls[1][0]).toContain('unknown format "pdf"');
    } finally {
      q.restore();
    }
  });
});
