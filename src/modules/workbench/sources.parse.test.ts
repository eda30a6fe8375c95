import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { guessMapping, mapRows } from './sources.import.ts';
import { readChat, readCsv, readTranscript, readXlsx } from './sources.parse.ts';
import { parseMultipart } from './multipart.ts';

describe('reading imports', () => {
  it('keeps the speakers of a WebVTT transcript (voice tags and "Name:" prefixes)', () => {
    const vtt =
      'WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Amina Diallo>Our association runs a mentoring scheme.</v>\n\n00:00:05.000 --> 00:00:08.000\nKenji: We pair new and senior staff.\n\n00:00:09.000 --> 00:00:10.000\nand it works.\n';
    const t = readTranscript(vtt, 'vtt');
    expect(t.errors).toEqual([]);
    expect(t.rows.map((r) => [r.values.speaker, r.values.text])).toEqual([
      ['Amina Diallo', 'Our association runs a mentoring scheme.'],
      ['Kenji', 'We pair new and senior staff.'],
      ['Kenji', 'and it works.'],
    ]);
  });

  it('reads SRT cues with comma milliseconds and reports a cue without text', () => {
    const srt =
      '1\n00:00:01,000 --> 00:00:02,500\nMaría: Necesitamos formación en liderazgo.\n\n2\n00:00:03,000 --> 00:00:04,000\n\n3\n00:00:05,000 --> 00:00:06,000\nGracias.\n';
    const t = readTranscript(srt, 'srt');
    expect(t.rows.map((r) => r.values.text)).toEqual(['Necesitamos formación en liderazgo.', 'Gracias.']);
    expect(t.rows[0].values.start).toBe('00:00:01.000');
    expect(t.errors).toHaveLength(1);
  });

  it('reads a Zoom chat export, including messages continued on the next line', () => {
    const chat =
      '00:12:01 From Li Wei to Everyone:\n\tCoaching helped me most\n00:12:30 From  Omar : We need funding\nnot a message\n';
    const t = readChat(chat);
    expect(t.rows.map((r) => [r.values.speaker, r.values.text])).toEqual([
      ['Li Wei', 'Coaching helped me most'],
      ['Omar', 'We need funding not a message'],
    ]);
  });

  it('reads the first worksheet of an XLSX survey export', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Survey');
    ws.addRow(['Response', 'Region', 'Date']);
    ws.addRow(['Mentoring by a director', 'europe', new Date('2022-04-01T10:00:00Z')]);
    const t = await readXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(t.header).toEqual(['Response', 'Region', 'Date']);
    expect(t.rows[0].values).toEqual({
      Response: 'Mentoring by a director',
      Region: 'europe',
      Date: '2022-04-01T10:00:00.000Z',
    });
    expect((await readXlsx(Buffer.from('not a workbook'))).errors[0].message).toContain('not an XLSX');
  });

  it('guesses the mapping from header names and identifies languages when no column gives them', () => {
    const t = readCsv(
      'response,region,kind,date\n"Nous avons besoin de formations au leadership.",europe,need,2022-04-01\n',
    );
    const m = guessMapping(t.header);
    expect(m).toMatchObject({ text: 'response', region: 'region', kind: 'kind', date: 'date' });
    const { rows } = mapRows(t, m);
    expect(rows[0]).toMatchObject({
      language: 'fr',
      prompt_kind: 'need',
      submitted_at: '2022-04-01T00:00:00.000Z',
    });
  });

  it('parses a multipart form with a file and text fields', () => {
    const b =
      '--XyZ\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\ntok\r\n--XyZ\r\ncontent-disposition: form-data; name="file"; filename="a.csv"\r\ncontent-type: text/csv\r\n\r\nid,text\r\n1,é\r\n--XyZ--\r\n';
    const out = parseMultipart(Buffer.from(b), 'multipart/form-data; boundary=XyZ');
    expect(out._csrf).toBe('tok');
    expect((out.file as Buffer).toString('utf8')).toBe('id,text\r\n1,é');
  });
});
