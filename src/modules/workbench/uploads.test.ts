import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.ts';
import { DIALECT, testDb } from '../../../test/support/db.ts';
import { makeAccount, makeSeries } from '../../../test/support/factories.ts';
import { dropUpload, eraseUploadsNaming, findUpload, keepUpload } from './uploads.ts';

let h: DbHandle;
beforeAll(async () => {
  h = await testDb();
});
afterAll(async () => h.close());

describe(`files waiting between preview and import (${DIALECT})`, () => {
  it('gives a kept file back only to its own account and series, and not after its import', async () => {
    const s = await makeSeries(h.db);
    const me = await makeAccount(h.db);
    const other = await makeAccount(h.db);
    const data = Buffer.from('id,text\n1,caf\xe9\n', 'latin1');
    const id = await keepUpload(h.db, {
      seriesId: s.id,
      accountId: me.accountId,
      kind: 'csv',
      name: 'a',
      data,
    });
    expect((await findUpload(h.db, id, s.id, me.accountId)).equals(data)).toBe(true);
    await expect(findUpload(h.db, id, s.id, other.accountId)).rejects.toMatchObject({
      code: 'upload_expired',
    });
    await dropUpload(h.db, id);
    await expect(findUpload(h.db, id, s.id, me.accountId)).rejects.toMatchObject({ status: 422 });
  });

  it("erases the waiting files that may hold a person's rows, and only those", async () => {
    const s = await makeSeries(h.db);
    const me = await makeAccount(h.db);
    const person = `Someone.${Date.now()}@Example.org`;
    const keep = (kind: 'csv' | 'xlsx', text: string, enc: BufferEncoding = 'utf8') =>
      keepUpload(h.db, {
        seriesId: s.id,
        accountId: me.accountId,
        kind,
        name: kind,
        data: Buffer.from(text, enc),
      });
    const utf8 = await keep('csv', `email,text\n${person.toLowerCase()},hello\n`);
    const utf16 = await keep('csv', `email,text\n${person},hello\n`, 'utf16le');
    const workbook = await keep('xlsx', 'PK compressed');
    const unrelated = await keep('csv', 'email,text\nnobody@example.org,hi\n');
    expect(await eraseUploadsNaming(h.db, person)).toBe(3);
    for (const id of [utf8, utf16, workbook])
      await expect(findUpload(h.db, id, s.id, me.accountId)).rejects.toMatchObject({ status: 422 });
    expect((await findUpload(h.db, unrelated, s.id, me.accountId)).length).toBeGreaterThan(0);
  });
});
