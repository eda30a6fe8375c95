// Presenter screen: follows the room over server-sent events and animates results in.
import { formatIcu } from '../../src/lib/i18n.ts';
import { esc, listen, loc } from './live-common.ts';
import type { AnswerOut, PromptOut, Results } from '../../src/modules/live/live.events.ts';

const code = document.body.dataset.code!;
const lang = document.body.dataset.lang || 'en';
let current: PromptOut | null = null;
const answers = new Map<string, AnswerOut>();
const res = document.getElementById('res')!;
const msgs = JSON.parse(document.getElementById('msgs')?.textContent || '{}') as Record<string, string>;

/** "N answers" in the screen's language (an ICU message with its plural forms, from the server). */
const answersLabel = (count: number) => formatIcu(msgs.answers ?? '{count}', lang, { count });

// The prompt whose results the page shows: at first the one the server drew, so the first event
// keeps that drawing (answers keep their place instead of fading in again).
let shownId: string | null = res.querySelector<HTMLElement>('.results')?.dataset.prompt ?? null;

function setPrompt(p: PromptOut | null) {
  current = p;
  if (shownId === (p?.id ?? null)) return;
  shownId = p?.id ?? null;
  answers.clear();
  res.innerHTML = '';
  const waiting = msgs.waiting ?? '';
  document.getElementById('prompt')!.textContent = p ? loc(p.text, lang) : waiting;
  const count = document.getElementById('count');
  if (count) count.hidden = !p;
  document.getElementById('ans-label')!.textContent = answersLabel(0);
}

function bars(rows: [string, number][]) {
  let ul = res.querySelector<HTMLElement>('ul.bars');
  if (!ul) {
    ul = document.createElement('ul');
    ul.className = 'bars';
    res.prepend(ul);
  }
  const max = Math.max(1, ...rows.map((r) => r[1]));
  if (ul.children.length !== rows.length)
    ul.innerHTML = rows
      .map(
        ([l]) =>
          `<li><span class="bl">${esc(l)}</span><span class="bar"><span style="width:0"></span></span><b>0</b></li>`,
      )
      .join('');
  rows.forEach(([, n], i) => {
    const li = ul.children[i] as HTMLElement;
    (li.querySelector('.bar span') as HTMLElement).style.width = `${Math.round((n / max) * 100)}%`;
    li.querySelector('b')!.textContent = String(n);
  });
}

function renderAnswers() {
  let ul = res.querySelector<HTMLElement>('ul.answers');
  if (!ul) {
    ul = document.createElement('ul');
    ul.className = 'answers';
    res.append(ul);
  }
  const list = [...answers.values()]
    .filter((a) => a.status === 'visible')
    .sort(
      (a, b) =>
        Number(b.pinned) - Number(a.pinned) ||
        (current?.type === 'qa' ? b.upvotes - a.upvotes : 0) ||
        (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1),
    )
    .slice(0, 12);
  const keep = new Set(list.map((a) => a.id));
  for (const li of [...ul.children] as HTMLElement[]) if (!keep.has(li.dataset.id!)) li.remove();
  list.forEach((a, i) => {
    let li = ul.querySelector<HTMLElement>(`li[data-id="${a.id}"]`);
    if (!li) {
      li = document.createElement('li');
      li.dataset.id = a.id;
      li.dir = 'auto';
    }
    li.className = a.pinned ? 'pin' : '';
    li.textContent = current?.type === 'qa' ? `${a.text} (▲ ${a.upvotes})` : a.text || '';
    if (ul.children[i] !== li) ul.insertBefore(li, ul.children[i] || null);
  });
}

function results(r: Results) {
  const p = current!;
  document.getElementById('ans-label')!.textContent = answersLabel(r.total);
  const label = (id: string) => loc(p.choices.find((c) => c.id === id)?.text, lang);
  if (r.choices) bars(r.choices.map((c) => [label(c.id), c.count]));
  if (r.values) bars(r.values.map((v) => [String(v.value), v.count]));
  if (r.scores) bars(r.scores.map((s) => [label(s.id), s.score]));
  if (r.words) {
    let cloud = res.querySelector<HTMLElement>('p.cloud');
    if (!cloud) {
      cloud = document.createElement('p');
      cloud.className = 'cloud';
      res.prepend(cloud);
    }
    const top = Math.max(1, ...r.words.map((w) => w.count));
    cloud.innerHTML = r.words
      .map((w) => `<span style="font-size:${(1 + (w.count / top) * 2).toFixed(2)}em">${esc(w.word)}</span>`)
      .join(' ');
  }
  for (const a of r.answers ?? []) if (!answers.has(a.id)) answers.set(a.id, a);
  for (const q of r.questions ?? []) answers.set(q.id, q);
  if (r.answers || r.questions) renderAnswers();
}

listen(`/api/rooms/${code}/events?channel=screen`, {
  'room.state': (s) =>
    setPrompt(
      s.prompts.find((p) => p.id === s.currentPromptId) ?? s.prompts.find((p) => p.status === 'open') ?? null,
    ),
  'results.tick': (t) => {
    if (current && t.promptId === current.id && t.results) results(t.results);
  },
  'answers.new': (e) => {
    if (!current || (current.type !== 'open_text' && current.type !== 'qa' && current.type !== 'word_cloud'))
      return;
    for (const a of e.answers) if (a.promptId === current.id) answers.set(a.id, a);
    renderAnswers();
  },
  'moderation.changed': (e) => {
    for (const a of e.answers) if (answers.has(a.id) || a.status === 'visible') answers.set(a.id, a);
    if (current) renderAnswers();
  },
});
