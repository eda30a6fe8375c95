import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { DIALECT } from '../support/db.ts';
import { openPromptRoom } from '../support/factories.ts';
import { freePort, postJson, startColloquy } from '../support/live-proc.ts';

let child: ChildProcess | null = null;
afterAll(() => {
  child?.kill('SIGKILL');
});

describe(`an acknowledged answer survives a crash (${DIALECT})`, () => {
  it('keeps every acknowledged answer exactly once after SIGKILL mid-stream and a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'colloquy-crash-'));
    const h = openDatabase(
      DIALECT === 'postgres'
        ? { databaseUrl: process.env.DATABASE_URL }
        : { sqliteFile: join(dataDir, 'colloquy.sqlite') },
    );
    await migrateToLatest(h.db);
    const { room, promptId } = await openPromptRoom(h.db, 'need', 'Needs?');

    const port = await freePort();
    const env = { LIVE_PARTICIPANT_BURST: '100000', LIVE_ADDRESS_LIMIT: '1000000' };
    child = await startColloquy({ port, dataDir, env });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const acked = new Map<string, string>(); // clientKey → id
    const sent: string[] = [];
    let n = 0;
    let killed = false;
    const worker = async (w: number) => {
      while (!killed) {
        const clientKey = `crash-${w}-${n++}`;
        sent.push(clientKey);
        const res = await postJson(
          agent,
          port,
          `/api/rooms/${room.code}/responses`,
          { promptId, clientKey, text: `answer ${clientKey}` },
          { 'x-participant-key': `crash-participant-${w}-0123456789` },
        );
        if (res && (res.status === 201 || res.status === 200)) acked.set(clientKey, String(res.body.id));
        else if (res) throw new Error(`unexpected ${res.status}`);
      }
    };
    const workers = Array.from({ length: 32 }, (_, w) => worker(w));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    agent.destroy();
    expect(acked.size).toBeGreaterThan(100);

    // Restart on the same data and resend everything that was sent (acknowledged or not).
    child = await startColloquy({ port, dataDir, env });
    const agent2 = new http.Agent({ keepAlive: true, maxSockets: 32 });
    for (const clientKey of sent.slice(-200)) {
      const w = clientKey.split('-')[1];
      const res = await postJson(
        agent2,
        port,
        `/api/rooms/${room.code}/responses`,
        { promptId, clientKey, text: `answer ${clientKey}` },
        { 'x-participant-key': `crash-participant-${w}-0123456789` },
      );
      expect([200, 201]).toContain(res?.status);
      if (acked.has(clientKey))
        expect(res).toMatchObject({ status: 200, body: { id: acked.get(clientKey), duplicate: true } });
    }
    agent2.destroy();
    child.kill('SIGKILL');
    child = null;

    const rows = await h.db
      .selectFrom('live_response')
      .select(['id', 'client_key'])
      .where('room_id', '=', room.id)
      .execute();
    const byKey = new Map<string, string[]>();
    for (const r of rows) byKey.set(r.client_key, [...(byKey.get(r.client_key) ?? []), r.id]);
    for (const [clientKey, id] of acked) expect(byKey.get(clientKey)).toEqual([id]);
    expect(rows.length).toBe(byKey.size);
    await h.close();
  }, 90_000);
});
