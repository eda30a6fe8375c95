// Distinct responses for benchmarks, generated from our own fragments: an opener, one or two theme
// phrases, a setting and a detail. Every text is different (a repeat is redrawn), so a benchmark measures
// 50,000 real units and not a few hundred resampled ones.
import { createRandom } from '../src/modules/analysis/index.ts';

/** One generated response with the attributes the workbench filters on. */
export interface BenchUnit {
  text: string;
  region: string;
  kind: 'best_practice' | 'recommendation' | 'need';
  language: string;
  careerStage: string;
  day: string;
  submittedAt: string;
}

const REGIONS = [
  'asia_oceania',
  'europe',
  'latin_america_caribbean',
  'middle_east_north_africa',
  'north_america',
  'sub_saharan_africa',
];
const KINDS = ['best_practice', 'recommendation', 'need'] as const;
const STAGES = ['new', 'mid', 'senior'];
// The texts are English, so their language is too (the language filter still has one value to use).
const LANGUAGES = ['en'];
const DAYS = ['2022-03-23', '2022-04-20', '2022-05-18', '2022-06-15', '2022-09-21', '2022-10-19'];
const OPENERS = [
  'What worked for us was',
  'I would recommend',
  'We still lack',
  'Our branch tried',
  'The board finally agreed to',
  'Colleagues keep asking for',
  'Nothing helped as much as',
  'Next year we plan',
];
const PHRASES = [
  'pairing each newcomer with a senior colleague for a year',
  'a coaching circle that meets every second Friday',
  'clear written feedback after every project',
  'shared lunches where teams present their work to each other',
  'budget lines for training that nobody can cut mid-year',
  'reliable internet in the smaller reading rooms',
  'time set aside for reading professional journals',
  'job descriptions that say who decides what',
  'interview panels that include staff from every floor',
  'regular check-ins about workload and rest',
  'a plan for when the building floods again',
  'letting junior staff chair the weekly meeting',
  'translating our policies into the languages patrons speak',
  'grant writing workshops run with the university',
  'visits to libraries in neighbouring towns',
  'an open calendar of who is on leave',
];
const SETTINGS = [
  'in a county system',
  'at a small college library',
  'in the national library',
  'across our rural branches',
  'in a hospital library',
  'at a school district',
  'in a city network of twelve branches',
  'at a research institute',
];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** `n` responses with pairwise different texts, the same for the same seed. */
export function distinctUnits(n: number, seed: number): BenchUnit[] {
  const r = createRandom(seed);
  const seen = new Set<string>();
  const out: BenchUnit[] = [];
  while (out.length < n) {
    const first = pick(r, PHRASES);
    const second = r() < 0.4 ? ` and ${pick(r, PHRASES)}` : '';
    // The detail (staff count and year) makes most combinations unique; repeats are redrawn below.
    const staff = 3 + Math.floor(r() * 400);
    const text = `${pick(r, OPENERS)} ${first}${second} ${pick(r, SETTINGS)} with ${staff} staff, since ${1990 + Math.floor(r() * 33)}.`;
    if (seen.has(text)) continue;
    seen.add(text);
    const day = pick(r, DAYS);
    const minute = Math.floor(r() * 90);
    out.push({
      text,
      region: pick(r, REGIONS),
      kind: pick(r, KINDS),
      language: pick(r, LANGUAGES),
      careerStage: pick(r, STAGES),
      day,
      submittedAt: new Date(Date.parse(`${day}T12:00:00Z`) + minute * 60_000).toISOString(),
    });
  }
  return out;
}
