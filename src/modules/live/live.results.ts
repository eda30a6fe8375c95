import type { AnswerOut, PromptOut, Results } from './live.events.ts';
import { cloudPhrase } from './live.text.ts';

const RECENT = 30;

/**
 * Running results of one prompt, updated answer by answer so a tick costs nothing. Counts every
 * answer once (by id), so replaying a batch after a reload cannot double count. Pure.
 */
export class Aggregate {
  private seen = new Set<string>();
  total = 0;
  private choice = new Map<string, number>();
  private value = new Map<number, number>();
  private score = new Map<string, number>();
  private cloud = new Map<string, number>();
  private recent: AnswerOut[] = [];
  private questions = new Map<string, AnswerOut>();

  constructor(private prompt: PromptOut) {}

  /** Adds an answer; returns false when it was already counted. */
  add(a: AnswerOut): boolean {
    if (this.seen.has(a.id)) return false;
    this.seen.add(a.id);
    if (a.status === 'hidden') return true;
    this.total++;
    const t = this.prompt.type;
    if (t === 'poll') for (const c of a.choices ?? []) this.choice.set(c, (this.choice.get(c) ?? 0) + 1);
    if (t === 'ranking') {
      const n = this.prompt.choices.length;
      (a.choices ?? []).forEach((c, i) => this.score.set(c, (this.score.get(c) ?? 0) + (n - i)));
    }
    if (t === 'scale' && a.value !== null) this.value.set(a.value, (this.value.get(a.value) ?? 0) + 1);
    if (a.status !== 'visible') return true;
    if (t === 'word_cloud' && a.text) {
      const p = cloudPhrase(a.text);
      if (p) this.cloud.set(p, (this.cloud.get(p) ?? 0) + 1);
    }
    if (t === 'qa') this.questions.set(a.id, a);
    if (t === 'open_text' || t === 'word_cloud') {
      this.recent.unshift(a);
      if (this.recent.length > RECENT) this.recent.length = RECENT;
    }
    return true;
  }

  /** Q&A: the upvote count of a question changed. */
  upvoted(id: string, upvotes: number) {
    const q = this.questions.get(id);
    if (q) q.upvotes = upvotes;
  }

  /** The results as clients see them. */
  results(): Results {
    const p = this.prompt;
    const r: Results = { promptId: p.id, type: p.type, total: this.total };
    if (p.type === 'poll')
      r.choices = p.choices.map((c) => ({ id: c.id, count: this.choice.get(c.id) ?? 0 }));
    if (p.type === 'ranking')
      r.scores = p.choices
        .map((c) => ({ id: c.id, score: this.score.get(c.id) ?? 0 }))
        .sort((a, b) => b.score - a.score);
    if (p.type === 'scale') {
      const min = p.settings.min ?? 1;
      const max = p.settings.max ?? 5;
      r.values = [];
      for (let v = min; v <= max; v++) r.values.push({ value: v, count: this.value.get(v) ?? 0 });
    }
    if (p.type === 'word_cloud')
      r.words = [...this.cloud]
        .map(([word, count]) => ({ word, count }))
        .sort((a, b) => b.count - a.count)
        .slice(0, 60);
    if (p.type === 'open_text' || p.type === 'word_cloud') r.answers = this.recent.slice(0, 12);
    if (p.type === 'qa')
      r.questions = [...this.questions.values()]
        .sort(
          (a, b) =>
            Number(a.answered) - Number(b.answered) ||
            b.upvotes - a.upvotes ||
            (a.createdAt < b.createdAt ? 1 : -1),
        )
        .slice(0, 10);
    return r;
  }
}

/** Results of a prompt from its stored answers (oldest first, so "newest" stays newest). */
export function resultsOf(prompt: PromptOut, answersNewestFirst: AnswerOut[]): Results {
  const agg = new Aggregate(prompt);
  for (let i = answersNewestFirst.length - 1; i >= 0; i--) agg.add(answersNewestFirst[i]);
  return agg.results();
}
