/**
 * The facilitator's run of show, as one pure view: the server renders it into the first page and the
 * console script renders the same function again from the event stream (no page reload). Imports
 * nothing from the server, so Vite bundles it for the browser.
 */
import { html, raw, type Html } from '../../lib/html.ts';
import type { AnswerOut, PromptOut, Results, RoomState } from './live.events.ts';
import { localise, resultsHtml } from './live.render.ts';

/** A message lookup (the server's translator, or the script's over the same resolved table). */
export type Tr = (key: string, vars?: Record<string, string | number>) => string;

/**
 * The console's lookup over the live catalogue: `console.<key>` first, then the module's shared
 * keys (kinds, votes); a missing key shows itself rather than nothing.
 */
export function consoleT(
  format: (key: string, vars?: Record<string, string | number>) => string | null | undefined,
): Tr {
  return (key, vars) => format(`console.${key}`, vars) ?? format(key, vars) ?? key;
}

export interface ConsoleView {
  state: RoomState;
  /** Answers of the current prompt, any status, newest first. */
  answers: AnswerOut[];
  /** Running results of the current prompt (null before the first tick). */
  results: Results | null;
  csrf: string;
  /** The form endpoint of the room's actions. */
  action: string;
  lang: string;
  /** Languages of the series (prompt texts missing in one of them are marked for the editor). */
  languages: string[];
}

const ORDER = { held: 0, visible: 1, hidden: 2 } as const;

/** One action as a small form: posts without JavaScript, the script sends the same form with fetch. */
function button(
  v: ConsoleView,
  fields: Record<string, string>,
  label: string,
  opts: { primary?: boolean; keys?: string; name?: string } = {},
): Html {
  const key = Object.values(fields).join(':');
  return html`<form method="post" action="${v.action}" class="act">
    <input type="hidden" name="_csrf" value="${v.csrf}" />${Object.entries(fields).map(
      ([k, val]) => html`<input type="hidden" name="${k}" value="${val}" />`,
    )}<button
      type="submit"
      class="${opts.primary ? '' : 'secondary'}"
      data-key="${key}"
      ${opts.keys ? raw(`aria-keyshortcuts="${opts.keys}"`) : ''}
      ${opts.name ? html`aria-label="${opts.name}"` : ''}
    >
      ${label}
    </button>
  </form>`;
}

/** The current prompt of a room, if any. */
export const currentOf = (s: RoomState): PromptOut | undefined =>
  s.prompts.find((p) => p.id === s.currentPromptId);

function promptItem(v: ConsoleView, p: PromptOut, t: Tr): Html {
  const isCurrent = p.id === v.state.currentPromptId;
  const text = localise(p.text, v.lang);
  const missing = v.languages.filter((l) => !p.text[l]?.trim());
  const status = t(`status_${p.status}`) + (p.revealed ? ` · ${t('revealed')}` : '');
  return html`<li
    class="ros-item${isCurrent ? ' current' : ''}"
    data-prompt-id="${p.id}"
    ${isCurrent ? raw('aria-current="step"') : ''}
  >
    <p class="ros-head">
      <b>${p.position}.</b> <span dir="auto">${text}</span>
      ${isCurrent ? html`<span class="badge now">${t('current')}</span>` : ''}
    </p>
    <p class="ros-meta">
      <span class="badge">${t(`type_${p.type}`)}</span>
      ${p.kind ? html`<span class="badge">${kindLabel(p.kind, t)}</span>` : ''}
      ${p.seriesLevel ? html`<span class="badge">${t('series_level')}</span>` : ''}
      <span class="ros-status" data-status="${p.status}">${status}</span>
      ${missing.length ? html`<span class="badge warn">${t('missing_languages', { list: missing.join(', ') })}</span>` : ''}
    </p>
    <div class="ros-actions">
      ${isCurrent ? '' : button(v, { op: 'current', promptId: p.id }, t('make_current'), { name: `${t('make_current')}: ${text}` })}
      ${
        p.status === 'open'
          ? button(v, { op: 'close', promptId: p.id }, t('close'), { name: `${t('close')}: ${text}` })
          : button(v, { op: 'open', promptId: p.id }, t('open'), { name: `${t('open')}: ${text}` })
      }
      ${
        p.revealed
          ? button(v, { op: 'unreveal', promptId: p.id }, t('hide_results'), {
              name: `${t('hide_results')}: ${text}`,
            })
          : button(v, { op: 'reveal', promptId: p.id }, t('reveal_results'), {
              name: `${t('reveal_results')}: ${text}`,
            })
      }
      ${button(v, { op: 'delete', promptId: p.id }, t('remove'), { name: `${t('remove')}: ${text}` })}
    </div>
  </li>`;
}

const kindLabel = (kind: string, t: Tr) => {
  const k = `kind_${kind}`;
  const label = t(k);
  return label === k ? kind.replace(/_/g, ' ') : label;
};

function answerItem(v: ConsoleView, a: AnswerOut, isQa: boolean, t: Tr): Html {
  const flags = [
    t(`answer_${a.status}`),
    a.pinned ? t('pinned') : '',
    a.answered ? t('answered_flag') : '',
    a.upvotes ? t('n_votes', { count: a.upvotes }) : '',
  ].filter(Boolean);
  const short = (a.text ?? '').slice(0, 40);
  return html`<li class="mod-item" data-answer-id="${a.id}" data-status="${a.status}">
    <p dir="auto">${a.text}</p>
    <p class="ros-meta"><span class="mod-status">${flags.join(' · ')}</span></p>
    <div class="ros-actions">
      ${a.status !== 'visible' ? button(v, { op: 'approve', responseId: a.id }, t('approve'), { primary: true, name: `${t('approve')}: ${short}` }) : ''}
      ${a.status !== 'hidden' ? button(v, { op: 'hide', responseId: a.id }, t('hide'), { name: `${t('hide')}: ${short}` }) : ''}
      ${
        a.pinned
          ? button(v, { op: 'unpin', responseId: a.id }, t('unpin'), { name: `${t('unpin')}: ${short}` })
          : button(v, { op: 'pin', responseId: a.id }, t('pin'), { name: `${t('pin')}: ${short}` })
      }
      ${isQa && !a.answered ? button(v, { op: 'answered', responseId: a.id }, t('mark_answered'), { name: `${t('mark_answered')}: ${short}` }) : ''}
    </div>
  </li>`;
}

/** The changing part of the live room: run-of-show controls, prompts, results, moderation queue. */
export function consoleDyn(v: ConsoleView, t: Tr): Html {
  const { state } = v;
  const current = currentOf(state);
  const index = current ? state.prompts.indexOf(current) : -1;
  const texts = v.answers.filter((a) => a.text !== null);
  const held = texts.filter((a) => a.status === 'held').length;
  const total = v.results?.total ?? v.answers.filter((a) => a.status !== 'hidden').length;
  const queue = [...texts].sort((a, b) => ORDER[a.status] - ORDER[b.status]).slice(0, 100);
  const controls = html`<div class="ros-controls">
    ${
      current
        ? html`${index > 0 ? button(v, { op: 'prev' }, t('previous'), { keys: 'P' }) : ''}
          ${index < state.prompts.length - 1 ? button(v, { op: 'next' }, t('next'), { primary: true, keys: 'N' }) : ''}
          ${button(v, { op: current.revealed ? 'unreveal' : 'reveal', promptId: current.id }, current.revealed ? t('hide_results') : t('reveal_results'), { keys: 'R' })}`
        : state.prompts.length
          ? button(v, { op: 'next' }, t('start'), { primary: true, keys: 'N' })
          : ''
    }
    ${button(v, { op: 'premod', on: state.preModeration ? '0' : '1' }, state.preModeration ? t('premod_on') : t('premod_off'))}
  </div>`;
  return html`${controls}
    <p id="live-count" role="status">
      ${
        current
          ? html`${t('now_showing', { n: index + 1, of: state.prompts.length })} ·
              <span id="live-total">${t('n_answers', { count: total })}</span> ·
              <span id="live-held">${t('n_held', { count: held })}</span>`
          : state.prompts.length
            ? t('none_current')
            : t('no_prompts')
      }
    </p>
    <h2>${t('run_of_show')}</h2>
    <ol class="ros">
      ${state.prompts.map((p) => promptItem(v, p, t))}
    </ol>
    ${
      current
        ? html`<h2>${t('results_of')} <span dir="auto">${localise(current.text, v.lang)}</span></h2>
            <div id="console-results">
              ${v.results ? resultsHtml(current, v.results, v.lang, t) : ''}
            </div>
            <h2>${t('moderation')}</h2>
            ${
              queue.length
                ? html`<ul class="mod">
                    ${queue.map((a) => answerItem(v, a, current.type === 'qa', t))}
                  </ul>`
                : html`<p class="muted">${t('no_text_answers')}</p>`
            }`
        : ''
    }`;
}

/** Styles of the run of show (lists rather than tables: nothing overflows at 360 px). */
export const CONSOLE_CSS = `.ros{list-style:none;padding:0}.ros-item,.mod-item{border:1px solid var(--line);border-radius:8px;padding:.5rem .8rem;margin:.5rem 0;overflow-wrap:anywhere}
.ros-item.current{border:2px solid var(--accent);background:#f1f8ff}.ros-head,.ros-meta{margin:.2rem 0}.ros-actions,.ros-controls{display:flex;flex-wrap:wrap;gap:.4rem}
.ros-actions button,.ros-controls button{margin-top:.3rem}.badge.now{border-color:var(--accent);color:var(--accent);font-weight:600}.badge.warn{border-color:#9a6700;color:#7d4e00}
.mod{list-style:none;padding:0}.act{display:inline}.links{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center}.links img{width:8rem;height:8rem}
kbd{border:1px solid var(--line);border-bottom-width:2px;border-radius:4px;padding:0 .3rem;font:inherit;font-size:.9em}
.bars{list-style:none;padding:0}.bars li{display:grid;grid-template-columns:minmax(5rem,1fr) 2fr 2.5rem;gap:.4rem;align-items:center;margin:.2rem 0}
.bar{background:#eaeef2;height:.9rem;border-radius:4px;overflow:hidden;display:block}.bar span{display:block;height:100%;background:#0b5cad}
.cloud span{display:inline-block;margin:0 .3rem;color:#0b5cad}.answers{padding-inline-start:1.1rem}`;
