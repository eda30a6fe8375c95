import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const main = path.join(root, 'src/cli/analysis-main.ts');
const tsx = path.join(root, 'node_modules/.bin/tsx');

let dir: string;
const file = (name: string): string => path.join(dir, name);

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, [main, ...args], { cwd: dir, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const CODED = [
  'id,region,prompt_kind,submitted_at,text,labels',
  'r1,asia,best_practice,2022-03-23T05:00:00Z,my mentor checks my project plans,mentoring',
  'r2,asia,best_practice,2022-03-23T05:01:00Z,"a coach helped me say no, kindly",coaching',
  'r3,europe,best_practice,2022-04-20T05:00:00Z,Eine Mentorin begleitet mich im ersten Jahr,mentoring',
  'r4,europe,best_practice,2022-04-20T05:02:00Z,коуч помог мне после повышения,coaching',
  'r5,mena,best_practice,2022-05-10T05:00:00Z,كان لي مرشد في سنتي الأولى,mentoring',
  'r6,mena,best_practice,2022-05-10T05:03:00Z,جلسات كوتشينغ بعد تعييني مديرا,coaching',
  'r7,africa,best_practice,2022-06-10T05:00:00Z,新入职的馆员都会分配一位师傅,mentoring',
  'r8,africa,need,2022-06-10T05:04:00Z,"laptops, we use our phones",digital_infrastructure',
].join('\n');

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'colloquy-analysis-'));
  writeFileSync(
    file('in.csv'),
    'id,text,region\nx1,"my mentor guided me",asia\nx2,hello from Lima,latam\nx3,"教练技术培训之后，部门主任学会了提问",asia\n',
  );
  writeFileSync(file('coded.csv'), CODED + '\n');
  writeFileSync(
    file('cb.csv'),
    'id,label,description,terms\nmentoring,Mentoring,,\ncoaching,Coaching,,\ndigital_infrastructure,Digital access,,laptop;phones\n',
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('colloquy code', () => {
  it('codes a CSV with the default codebook: one row per input row with labels and confidence', async () => {
    const r = await run(['code', '--codebook', 'default', '--input', 'in.csv', '--output', 'out.csv']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = readFileSync(file('out.csv'), 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,labels,confidence');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^x1,mentoring,0\.\d{3}$/);
    expect(lines[2]).toMatch(/^x2,,0\.\d{3}$/);
    expect(lines[3]).toMatch(/^x3,coaching/);
  });

  it('learns from a coded file given with --train', async () => {
    const r = await run([
      'code',
      '--codebook',
      'cb.csv',
      '--input',
      'in.csv',
      '--output',
      'trained.csv',
      '--train',
      'coded.csv',
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(file('trained.csv'), 'utf8')).toMatch(/x1,mentoring/);
  });

  it('prints help', async () => {
    const r = await run(['code', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: colloquy code/);
  });
});

describe('colloquy findings', () => {
  it('prints JSON with top themes, themes across groups, distinctive themes and quoted findings', async () => {
    const r = await run(['findings', '--codebook', 'default', '--input', 'coded.csv', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      kinds: Record<
        string,
        {
          top: string[];
          themes: {
            id: string;
            count: number;
            share: number;
            low: number;
            high: number;
            groups: Record<string, { count: number }>;
          }[];
        }
      >;
      acrossGroups: Record<string, string[]>;
      claims: { tests: number; q: number; minSupport: number; held: number; notHeld: number };
      findings: {
        kind: string;
        text: string;
        held: boolean;
        claim?: { group: string; held: boolean };
        quotes: { id: string; text: string }[];
      }[];
    };
    expect(report.kinds.best_practice.top).toEqual(['mentoring', 'coaching']);
    const mentoring = report.kinds.best_practice.themes.find((t) => t.id === 'mentoring');
    expect(mentoring?.groups.asia.count).toBe(1);
    expect(report.acrossGroups.best_practice).toContain('mentoring');
    // Africa never mentions coaching, so only mentoring holds across every region.
    expect(report.acrossGroups.best_practice).toEqual(['mentoring']);
    expect(report.findings[0].text).toMatch(
      /^Overall, the most mentioned best practices: Mentoring \(\d+ of \d+, \d+%\) and Coaching/,
    );
    // A handful of responses per region: no distinctive claim survives the correction and the support rule.
    expect(report.claims).toMatchObject({ q: 0.05, minSupport: 5, held: 0 });
    expect(report.claims.tests).toBeGreaterThan(0);
    expect(report.findings.filter((f) => f.claim?.held)).toEqual([]);
    const texts = new Map(
      CODED.split('\n')
        .slice(1)
        .map((l) => [l.split(',')[0], l]),
    );
    for (const f of report.findings) for (const q of f.quotes) expect(texts.get(q.id)).toContain(q.text);
  });

  it('counts only what was said as of a date and writes Markdown to a file', async () => {
    const r = await run([
      'findings',
      '--codebook',
      'cb.csv',
      '--input',
      'coded.csv',
      '--time',
      'submitted_at',
      '--as-of',
      '2022-05-31',
      '--format',
      'md',
      '--output',
      'report.md',
    ]);
    expect(r.code).toBe(0);
    const md = readFileSync(file('report.md'), 'utf8');
    expect(md).toMatch(/6 coded responses as of 2022-05-31/);
    expect(md).not.toMatch(/africa/);
  });
});

describe('bad input', () => {
  const cases: [string, string, string[], RegExp][] = [
    [
      'a missing column',
      'nocol.csv',
      ['code', '--codebook', 'default', '--input', 'nocol.csv', '--output', 'o1.csv'],
      /nocol\.csv, row 1, column text: missing column "text"/,
    ],
    [
      'an unknown theme id',
      'unknown.csv',
      ['findings', '--codebook', 'default', '--input', 'unknown.csv', '--output', 'o2.md'],
      /unknown\.csv, row 3, column labels: unknown theme id "astrology"/,
    ],
    [
      'a non-UTF-8 file',
      'latin1.csv',
      ['code', '--codebook', 'default', '--input', 'latin1.csv', '--output', 'o3.csv'],
      /latin1\.csv, row 2: the file is not valid UTF-8/,
    ],
    [
      'an empty file',
      'empty.csv',
      ['code', '--codebook', 'default', '--input', 'empty.csv', '--output', 'o4.csv'],
      /empty\.csv: the file is empty/,
    ],
    [
      'an unknown id in --train',
      'badtrain.csv',
      ['code', '--codebook', 'default', '--input', 'in.csv', '--train', 'badtrain.csv', '--output', 'o5.csv'],
      /badtrain\.csv, row 2, column labels: unknown theme id "x"/,
    ],
    [
      'a bad codebook',
      'badcb.csv',
      ['code', '--codebook', 'badcb.csv', '--input', 'in.csv', '--output', 'o6.csv'],
      /badcb\.csv, row 1, column label: missing column "label"/,
    ],
  ];

  beforeAll(() => {
    writeFileSync(file('nocol.csv'), 'id,body\n1,hello\n');
    writeFileSync(
      file('unknown.csv'),
      'id,region,text,labels\n1,asia,hi,mentoring\n2,asia,stars,astrology\n',
    );
    writeFileSync(
      file('latin1.csv'),
      Buffer.concat([Buffer.from('id,text\n1,caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    writeFileSync(file('empty.csv'), '');
    writeFileSync(file('badtrain.csv'), 'id,text,labels\n1,hello,x\n');
    writeFileSync(file('badcb.csv'), 'id,name\nmentoring,Mentoring\n');
  });

  it.each(cases)(
    '%s: a message naming file, row and column; exit status 2; nothing written',
    async (_name, _file, args, message) => {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
      const out = args[args.indexOf('--output') + 1];
      expect(existsSync(file(out))).toBe(false);
    },
  );

  it('an unknown option is bad input too', async () => {
    const r = await run(['findings', '--codebook', 'default', '--input', 'coded.csv', '--colour']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/colour/);
  });
});
