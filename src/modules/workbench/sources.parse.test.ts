import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { guessMapping, mapRows, onDate } from './sources.import.ts';
import { readChat, readCsv, readTranscript, readXlsx } from './sources.parse.ts';

describe('reading imports', () => {
  it('keeps the speakers of a WebVTT transcript (voice tags and "Name:" prefixes)', () => {
    const vtt =
      'WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Amina Diallo>Our association runs a mentoring scheme.</v>\n\n00:00:05.000 --> 00:00:08.000\nKenji: We pair new and senior staff.\n\n00:00:09.000 --> 00:00:10.000\nand it works.\n';
    const t = readTranscript(vtt, 'vtt');
    expect(t.errors).toEqual([]);
    expect(t.rows.map((r) => [r.values.speaker, r.values.text])).toEqual([
      ['Amina Diallo', 'Our association runs a mentoring scheme.'],
      ['Kenji', 'We pair new and senior staff.'],
      ['', 'and it works.'],
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
});

// Fixtures written from the WebVTT specification (W3C), the SubRip conventions for speaker labels and
// Zoom's saved-chat layout ("HH:MM:SS From A to B:", direct messages, reactions, replies).
describe('transcripts and chat as the tools write them', () => {
  const VTT = [
    'WEBVTT - panel on regional networks',
    '',
    'NOTE recorded by the host; the first minute is silence',
    'and this note spans two lines',
    '',
    'STYLE',
    '::cue(v[voice="Moderator"]) { color: yellow }',
    '',
    'intro',
    '00:01:02.500 --> 00:01:06.000 align:start position:10%',
    '<v.loud Moderator>Welcome to research &amp; practice &lt;live&gt;</v>',
    '',
    '00:01:06.000 --> 00:01:09.250',
    '<v Thandiwe Mokoena><i>Our</i> library&nbsp;network shares &#8220;training days&#8221;.',
    '',
    '00:01:09.250 --> 00:01:11.000',
    '[applause] and that is how it started',
    '',
    '01:10.000 --> 01:12.000',
    '<c.yellow>Lukas:</c> Wir &amp; unsere Partner.',
    '',
  ].join('\n');

  it('decodes WebVTT references, skips NOTE and STYLE blocks, and credits no one for an unvoiced cue', () => {
    const t = readTranscript(VTT, 'vtt');
    expect(t.errors).toEqual([]);
    expect(t.rows.map((r) => [r.values.start, r.values.speaker, r.values.text])).toEqual([
      ['00:01:02.500', 'Moderator', 'Welcome to research & practice <live>'],
      ['00:01:06.000', 'Thandiwe Mokoena', 'Our library\u00a0network shares \u201ctraining days\u201d.'],
      ['00:01:09.250', '', '[applause] and that is how it started'],
      ['01:10.000', 'Lukas', 'Wir & unsere Partner.'],
    ]);
  });

  it('recognises SRT speakers written <i>Name:</i>, NAME: and >> NAME:', () => {
    const srt = [
      '1',
      '00:00:03,100 --> 00:00:05,900',
      '<i>Rosa Quispe:</i> Formamos redes de bibliotecas rurales.',
      '',
      '2',
      '00:00:06,000 --> 00:00:08,000',
      'DR. OYELARAN: We started with two branches.',
      '',
      '3',
      '00:00:08,100 --> 00:00:09,000',
      '>> MODERATOR: Thank you.',
      '',
      '5',
      '00:00:10,100 --> 00:00:11,000',
      'and the rest followed',
      '',
    ].join('\r\n');
    const t = readTranscript(srt, 'srt');
    expect(t.rows.map((r) => [r.values.speaker, r.values.text])).toEqual([
      ['Rosa Quispe', 'Formamos redes de bibliotecas rurales.'],
      ['DR. OYELARAN', 'We started with two branches.'],
      ['MODERATOR', 'Thank you.'],
      ['', 'and the rest followed'],
    ]);
  });

  it('leaves out direct messages and reactions and strips the "Replying to" quote of a Zoom chat', () => {
    const chat = [
      '10:02:11 From Aiko Tanaka to Everyone:',
      '\tOur consortium shares one catalogue',
      '10:02:40 From Pablo Ruiz to Aiko Tanaka(Direct Message):',
      '\tcan you send me the slides?',
      '10:03:05 From Pablo Ruiz to Everyone:',
      '\tReacted to "Our consortium shares..." with \u{1F44D}',
      '10:03:30 From Grace Mensah to Everyone:',
      '\tReplying to "Our consortium shares..."',
      '\tWe do the same with interlibrary loans',
      '10:04:02 From Grace Mensah to Everyone:',
      '\tRemoved a \u{1F44D} reaction from "Our consortium shares..."',
      '10:04:30 From Aiko Tanaka to Pablo Ruiz(Privately) : sure',
      '10:05:00 From  Olek Nowak : Mentoring matters more than money',
    ].join('\n');
    const t = readChat(chat);
    expect(t.rows.map((r) => [r.line, r.values.start, r.values.speaker, r.values.text])).toEqual([
      [1, '10:02:11', 'Aiko Tanaka', 'Our consortium shares one catalogue'],
      [7, '10:03:30', 'Grace Mensah', 'We do the same with interlibrary loans'],
      [13, '10:05:00', 'Olek Nowak', 'Mentoring matters more than money'],
    ]);
    expect(t.skipped).toEqual([
      { line: 3, reason: 'a direct message' },
      { line: 5, reason: 'a reaction' },
      { line: 10, reason: 'a reaction' },
      { line: 12, reason: 'a direct message' },
    ]);
    expect(t.errors).toEqual([]);
  });

  it('fills submitted_at from the date given at import: cue offsets from the start, chat clock times on the day', () => {
    const vtt = readTranscript(VTT, 'vtt');
    const mappedVtt = mapRows(vtt, guessMapping(vtt.header), {
      date: '2022-03-23T05:00:00Z',
      language: 'en',
    });
    expect(mappedVtt.errors).toEqual([]);
    expect(mappedVtt.rows.map((r) => r.submitted_at)).toEqual([
      '2022-03-23T05:01:02.500Z',
      '2022-03-23T05:01:06.000Z',
      '2022-03-23T05:01:09.250Z',
      '2022-03-23T05:01:10.000Z',
    ]);
    const srt = readTranscript('1\n00:00:03,100 --> 00:00:05,900\nHola.\n', 'srt');
    expect(mapRows(srt, guessMapping(srt.header), { date: '2022-04-20' }).rows[0].submitted_at).toBe(
      '2022-04-20T00:00:03.100Z',
    );
    const chat = readChat('14:30:05 From Ana to Everyone:\n\tHola a todos\n');
    expect(mapRows(chat, guessMapping(chat.header), { date: '2022-04-20' }).rows[0].submitted_at).toBe(
      '2022-04-20T14:30:05.000Z',
    );
    // Without a date, a time alone is no instant.
    expect(mapRows(chat, guessMapping(chat.header)).rows[0].submitted_at).toBeNull();
    expect(onDate('not a date', '00:01', 'offset')).toBeNull();
  });
});
