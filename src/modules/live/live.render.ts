import { html, raw, type Html } from '../../lib/html.ts';
import type { PromptOut, Results } from './live.events.ts';
import type { LiveKey } from './messages/index.ts';

/**
 * The text of a prompt, choice or label in the reader's language, else in its source language (the
 * first one written: the console's forms put the series' source language first).
 */
export function localise(text: Record<string, string>, lang: string): string {
  return text[lang]?.trim() || Object.values(text).find((v) => v?.trim()) || '';
}

/** Results as plain HTML (bars, word cloud, answers, questions): works without JavaScript. */
export function resultsHtml(
  p: PromptOut,
  r: Results,
  lang: string,
  t: (k: LiveKey, v?: Record<string, string | number>) => string,
): Html {
  const max = Math.max(1, ...(r.choices ?? []).map((c) => c.count), ...(r.values ?? []).map((v) => v.count));
  const bar = (label: string, count: number, top = max) =>
    html`<li>
      <span class="bl">${label}</span
      ><span class="bar"><span style="width:${Math.round((count / top) * 100)}%"></span></span><b>${count}</b>
    </li>`;
  const parts: Html[] = [];
  if (r.choices)
    parts.push(
      html`<ul class="bars">
        ${r.choices.map((c) => bar(localise(p.choices.find((x) => x.id === c.id)?.text ?? {}, lang), c.count))}
      </ul>`,
    );
  if (r.values)
    parts.push(
      html`<ul class="bars">
        ${r.values.map((v) => bar(String(v.value), v.count))}
      </ul>`,
    );
  if (r.scores) {
    const top = Math.max(1, ...r.scores.map((s) => s.score));
    parts.push(
      html`<ol class="bars">
        ${r.scores.map((s) => bar(localise(p.choices.find((x) => x.id === s.id)?.text ?? {}, lang), s.score, top))}
      </ol>`,
    );
  }
  if (r.words) {
    const top = Math.max(1, ...r.words.map((w) => w.count));
    parts.push(
      html`<p class="cloud">
        ${r.words.map((w) => html`<span style="font-size:${(1 + (w.count / top) * 2).toFixed(2)}em">${w.word}</span> `)}
      </p>`,
    );
  }
  if (r.answers?.length)
    parts.push(
      html`<ul class="answers">
        ${r.answers.map((a) => html`<li${a.pinned ? raw(' class="pin"') : ''} data-id="${a.id}" dir="auto">${a.text}</li>`)}
      </ul>`,
    );
  if (r.questions?.length)
    parts.push(
      html`<ul class="answers">
        ${r.questions.map((q) => html`<li data-id="${q.id}" dir="auto">${q.text} <span class="muted">${t('upvotes', { count: q.upvotes })}${q.answered ? ` · ${t('answered')}` : ''}</span></li>`)}
      </ul>`,
    );
  return html`<div class="results" data-prompt="${p.id}">${parts}</div>`;
}
