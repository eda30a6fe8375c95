import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.ts';
import { makeSeries } from '../../../test/support/factories.ts';
import { testDb, DIALECT } from '../../../test/support/db.ts';
import { guessMapping, importSource, matchRegion } from './sources.import.ts';
import { readCsv, readXlsx } from './sources.parse.ts';
import { openWorkbench } from './workbench.service.ts';

let h: DbHandle;
beforeAll(async () => {
  h = await testDb();
});
afterAll(async () => h?.close());

// A survey sheet as people make it: a merged title, a note, a blank line, a header with a merged
// cell, and a region written once and merged down over its answers.
async function peopleSheet(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Antworten');
  ws.addRow(['Umfrage: Führung in Bibliotheken 2022']);
  ws.mergeCells('A1:F1');
  ws.addRow(['Stand: Mai 2022']);
  ws.addRow([]);
  ws.addRow(['Région', 'Réponse', 'Soumis le', 'Étape de carrière', 'Langue', 'Notes']);
  ws.addRow([
    'Europe',
    'Wir brauchen Mentoring für neue Leitungen.',
    new Date(Date.UTC(2022, 3, 1)),
    'mid-career',
    'de',
    '',
  ]);
  ws.addRow([
    '',
    'Austausch zwischen kleinen Bibliotheken hilft.',
    new Date(Date.UTC(2022, 3, 2)),
    'new professional',
    'de',
    '',
  ]);
  ws.mergeCells('A5:A6');
  ws.addRow([
    'Asia-Oceania',
    'Regional networks share training days.',
    new Date(Date.UTC(2022, 2, 23)),
    'senior',
    'en',
    '',
  ]);
  ws.addRow([
    'ATLANTIS',
    'A region this series does not have.',
    new Date(Date.UTC(2022, 2, 23)),
    'senior',
    'en',
    '',
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe(`spreadsheets as people make them (${DIALECT})`, () => {
  it('finds the header below a merged title, maps French headers, and gives merged cells to every row', async () => {
    const t = await readXlsx(await peopleSheet());
    expect(t.header).toEqual(['Région', 'Réponse', 'Soumis le', 'Étape de carrière', 'Langue', 'Notes']);
    expect(t.rows.map((r) => [r.line, r.values['Région']])).toEqual([
      [5, 'Europe'],
      [6, 'Europe'],
      [7, 'Asia-Oceania'],
      [8, 'ATLANTIS'],
    ]);
    expect(guessMapping(t.header)).toEqual({
      text: 'Réponse',
      region: 'Région',
      date: 'Soumis le',
      language: 'Langue',
      career_stage: 'Étape de carrière',
    });
  });

  it('maps Prompt, Submitted, Career stage and the like in the seven languages', () => {
    expect(guessMapping(['Prompt', 'Response', 'Submitted', 'Career stage', 'Region', 'Language'])).toEqual({
      text: 'Response',
      kind: 'Prompt',
      date: 'Submitted',
      career_stage: 'Career stage',
      region: 'Region',
      language: 'Language',
    });
    expect(guessMapping(['Pregunta', 'Respuesta', 'Fecha', 'Región'])).toMatchObject({
      kind: 'Pregunta',
      text: 'Respuesta',
      date: 'Fecha',
      region: 'Región',
    });
    expect(guessMapping(['Вопрос', 'Ответ', 'Дата', 'Регион', 'Язык'])).toMatchObject({
      text: 'Ответ',
      region: 'Регион',
      language: 'Язык',
    });
    expect(guessMapping(['问题', '回答', '日期', '地区'])).toMatchObject({
      text: '回答',
      region: '地区',
      date: '日期',
    });
    expect(guessMapping(['السؤال', 'الإجابة', 'التاريخ', 'المنطقة'])).toMatchObject({
      text: 'الإجابة',
      region: 'المنطقة',
    });
  });

  it('skips title rows of a CSV and matches region names and codes to the series regions', () => {
    const csv =
      'Leadership survey,,,\nExported 2022-05-31,,,\n,,,\nRegion,Prompt,Response,Submitted\nEUROPE,need,Funding for courses,2022-04-01\nasia_oceania,need,Mentors,2022-03-23\n';
    const t = readCsv(csv);
    expect(t.header).toEqual(['Region', 'Prompt', 'Response', 'Submitted']);
    expect(t.rows.map((r) => r.line)).toEqual([5, 6]);
    const regions = [
      { key: 'europe', name: 'Europe' },
      { key: 'asia_oceania', name: 'Asia-Oceania' },
      { key: 'latin_america_caribbean', name: 'Latin America & Caribbean' },
    ];
    expect(
      [
        'Europe',
        'europe',
        ' EUROPE ',
        'Asia-Oceania',
        'asia oceania',
        'Latin America and Caribbean',
        'Atlantis',
      ].map((v) => matchRegion(v, regions)),
    ).toEqual([
      'europe',
      'europe',
      'europe',
      'asia_oceania',
      'asia_oceania',
      'latin_america_caribbean',
      'Atlantis',
    ]);
  });

  it('imports such a workbook into the series with its regions as keys', async () => {
    const s = await makeSeries(h.db);
    await openWorkbench(h.db, s.id);
    const r = await importSource(h.db, s.id, {
      kind: 'xlsx',
      name: 'umfrage.xlsx',
      data: await peopleSheet(),
    });
    expect(r.added).toBe(4);
    expect(r.errors).toEqual([]);
    const items = await h.db
      .selectFrom('wb_item')
      .select(['region', 'career_stage', 'language', 'submitted_at', 'text'])
      .where('source_id', '=', r.sourceId)
      .orderBy('external_id')
      .execute();
    expect(items.map((i) => [i.region, i.career_stage, i.language, i.submitted_at])).toEqual([
      ['europe', 'mid-career', 'de', '2022-04-01T00:00:00.000Z'],
      ['europe', 'new professional', 'de', '2022-04-02T00:00:00.000Z'],
      ['asia_oceania', 'senior', 'en', '2022-03-23T00:00:00.000Z'],
      ['ATLANTIS', 'senior', 'en', '2022-03-23T00:00:00.000Z'],
    ]);
  });
});
