import type { SnapshotResult, SnapshotTheme } from './snapshot.ts';

/** A few demo answers with hand-assigned themes, so the demo's findings come from real counting. */
export interface DemoResponse {
  id: string;
  region: string;
  kind: 'best_practice' | 'recommendation' | 'need';
  language: string;
  text: string;
  themes: string[];
}

export const DEMO_THEMES: Record<string, string> = {
  mentoring: 'Mentoring',
  coaching: 'Coaching',
  networking: 'Peer networks',
  volunteering: 'Association roles for early-career staff',
  team_building: 'Team building',
  crisis: 'Leading in times of crisis',
  inclusive_recruitment: 'Inclusive recruitment',
  communication: 'Better communication',
  training: 'Leadership training',
  funding: 'Funding for development',
};

const REGION_NAMES: Record<string, string> = {
  asia_oceania: 'Asia-Oceania', europe: 'Europe', latin_america_caribbean: 'Latin America and the Caribbean',
  middle_east_north_africa: 'Middle East and North Africa', north_america: 'North America', sub_saharan_africa: 'Sub-Saharan Africa',
};

let n = 0;
const r = (region: string, kind: DemoResponse['kind'], language: string, text: string, themes: string[]): DemoResponse => ({ id: `demo-r${++n}`, region, kind, language, text, themes });

export const DEMO_RESPONSES: DemoResponse[] = [
  r('asia_oceania', 'best_practice', 'en', 'Our mentoring scheme pairs every new librarian with a senior one for a year.', ['mentoring']),
  r('asia_oceania', 'best_practice', 'en', 'Monthly coaching calls with directors from other countries.', ['coaching', 'networking']),
  r('asia_oceania', 'recommendation', 'en', 'Build teams that mix generations so that knowledge moves both ways.', ['team_building']),
  r('asia_oceania', 'need', 'zh', '我们需要更多面向新馆员的领导力培训。', ['training']),
  r('asia_oceania', 'need', 'en', 'Clearer communication between the association board and members.', ['communication']),
  r('europe', 'best_practice', 'en', 'Peer coaching for first-time directors made the biggest difference.', ['coaching']),
  r('europe', 'best_practice', 'de', 'Mentoring-Programme über Ländergrenzen hinweg.', ['mentoring', 'networking']),
  r('europe', 'recommendation', 'fr', 'Préparer les équipes à diriger en temps de crise, pas seulement en temps normal.', ['crisis']),
  r('europe', 'recommendation', 'en', 'Invest in team building before you reorganise.', ['team_building']),
  r('europe', 'need', 'en', 'Leadership courses that are affordable for small libraries.', ['training', 'funding']),
  r('latin_america_caribbean', 'best_practice', 'es', 'El voluntariado en la asociación fue mi primera escuela de liderazgo.', ['volunteering']),
  r('latin_america_caribbean', 'best_practice', 'es', 'Tener una mentora me dio confianza para postular a la dirección.', ['mentoring']),
  r('latin_america_caribbean', 'recommendation', 'es', 'Formar equipos diversos y escucharlos de verdad.', ['team_building', 'inclusive_recruitment']),
  r('latin_america_caribbean', 'need', 'es', 'Mejor comunicación entre bibliotecas de distintos países.', ['communication', 'networking']),
  r('latin_america_caribbean', 'need', 'es', 'Capacitación en liderazgo en español.', ['training']),
  r('middle_east_north_africa', 'best_practice', 'ar', 'برامج الإرشاد للموظفين الجدد ناجحة جدا.', ['mentoring']),
  r('middle_east_north_africa', 'recommendation', 'ar', 'القيادة في أوقات الأزمات يجب أن تكون جزءا من التدريب.', ['crisis', 'training']),
  r('middle_east_north_africa', 'recommendation', 'en', 'Team-building retreats for library managers across the region.', ['team_building']),
  r('middle_east_north_africa', 'need', 'ar', 'نحتاج إلى تدريب على القيادة باللغة العربية.', ['training']),
  r('middle_east_north_africa', 'need', 'en', 'Better communication with ministries about what libraries do.', ['communication']),
  r('north_america', 'best_practice', 'en', 'Our leadership institute includes a coaching track for mid-career staff.', ['coaching', 'training']),
  r('north_america', 'best_practice', 'fr', 'Le mentorat entre bibliothèques francophones et anglophones.', ['mentoring']),
  r('north_america', 'recommendation', 'en', 'Recruit from communities the profession has left out, and support them once hired.', ['inclusive_recruitment']),
  r('north_america', 'recommendation', 'en', 'Practise crisis leadership with realistic scenarios.', ['crisis']),
  r('north_america', 'need', 'en', 'Time and money for staff to attend leadership training.', ['training', 'funding']),
  r('sub_saharan_africa', 'best_practice', 'en', 'A remote mentoring circle that works on WhatsApp over slow connections.', ['mentoring']),
  r('sub_saharan_africa', 'best_practice', 'en', 'Coaching new association leaders on advocacy.', ['coaching']),
  r('sub_saharan_africa', 'recommendation', 'en', 'Leaders need to be ready for crises: power cuts, closures, budget cuts.', ['crisis']),
  r('sub_saharan_africa', 'recommendation', 'fr', "Renforcer l'esprit d'équipe avant de lancer de nouveaux services.", ['team_building']),
  r('sub_saharan_africa', 'need', 'en', 'Communication skills for talking to funders and government.', ['communication']),
  r('sub_saharan_africa', 'need', 'en', 'Leadership training that does not require travel abroad.', ['training']),
];

/** Wilson score interval (95%) for a share, so charts show how sure a count is. */
function wilson(k: number, total: number): [number, number] {
  if (!total) return [0, 0];
  const z = 1.96;
  const p = k / total;
  const d = 1 + (z * z) / total;
  const c = p + (z * z) / (2 * total);
  const m = z * Math.sqrt((p * (1 - p)) / total + (z * z) / (4 * total * total));
  return [Math.max(0, (c - m) / d), Math.min(1, (c + m) / d)];
}

const NOUNS: Record<string, string> = { best_practice: 'best practices', recommendation: 'recommendations', need: 'needs' };

/** Counts themes per kind and writes the ranked sentences with quotes: what the engine will do properly later. */
export function countFindings(responses: DemoResponse[]): SnapshotResult {
  const kinds: SnapshotResult['kinds'] = {};
  const findings: SnapshotResult['findings'] = [];
  for (const kind of ['best_practice', 'recommendation', 'need'] as const) {
    const rows = responses.filter((x) => x.kind === kind);
    const counts = new Map<string, number>();
    for (const x of rows) for (const t of x.themes) counts.set(t, (counts.get(t) ?? 0) + 1);
    const themes: SnapshotTheme[] = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([id, count]) => {
        const [low, high] = wilson(count, rows.length);
        return { id, label: DEMO_THEMES[id] ?? id, count, share: count / rows.length, low, high };
      });
    kinds[kind] = { themes };
    const top = themes.slice(0, 2);
    const regions = (id: string) => new Set(rows.filter((x) => x.themes.includes(id)).map((x) => x.region)).size;
    findings.push({
      kind,
      text: `Across the regions, ${top.map((t) => t.label.toLowerCase()).join(' and ')} are the most mentioned ${NOUNS[kind]} (${top.map((t) => `${t.count} of ${rows.length} answers, ${regions(t.id)} regions`).join('; ')}).`,
      quotes: rows.filter((x) => x.themes.includes(top[0].id)).slice(0, 2).map((x) => ({ id: x.id, text: x.text, group: REGION_NAMES[x.region] ?? x.region })),
    });
  }
  return { findings, kinds };
}
