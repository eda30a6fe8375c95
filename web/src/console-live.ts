// Facilitator's live room: the run of show follows the room's event stream (state, new answers,
// moderation, results) and re-renders with the same view the server used for the first page — no
// page reload. A click posts the same form with fetch and applies the state in the response at
// once; the stream brings the same change to every other facilitator. Without this script every
// form still posts and redirects.
import { formatIcu } from '../../src/lib/i18n.ts';
import { listen } from './live-common.ts';
import type { AnswerOut, Results, RoomState } from '../../src/modules/live/live.events.ts';
import {
  consoleDyn,
  consoleT,
  currentOf,
  type ConsoleView,
  type Tr,
} from '../../src/modules/live/live.console.view.ts';

const dataEl = document.getElementById('console-data');
const dyn = document.getElementById('live-dyn');
if (dataEl && dyn) {
  const data = JSON.parse(dataEl.textContent || '{}') as ConsoleView & { msgs: Record<string, string> };
  const { msgs, ...init } = data;
  const view: ConsoleView = init;
  // The server sent this language's ICU messages (English filling gaps); format them here.
  const t: Tr = consoleT((key, vars) => (key in msgs ? formatIcu(msgs[key], view.lang, vars) : null));
  // Answers of every prompt seen here, by prompt, so switching back and forth keeps them.
  const answers = new Map<string, Map<string, AnswerOut>>();
  const results = new Map<string, Results>();
  const bucket = (promptId: string) => {
    let m = answers.get(promptId);
    if (!m) answers.set(promptId, (m = new Map<string, AnswerOut>()));
    return m;
  };
  const currentId = () => view.state.currentPromptId;
  if (currentId()) for (const a of view.answers) bucket(currentId()!).set(a.id, a);
  if (view.results) results.set(view.results.promptId, view.results);
  const loaded = new Set<string>(currentId() ? [currentId()!] : []);

  let frame = 0;
  const render = () => {
    frame = 0;
    const id = currentId();
    view.answers = id
      ? [...bucket(id).values()].sort((a, b) =>
          a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1,
        )
      : [];
    view.results = (id && results.get(id)) || null;
    // Keep the keyboard where it was: the same button (by its action) gets the focus back.
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.key;
    dyn.innerHTML = consoleDyn(view, t).toString();
    if (focused) dyn.querySelector<HTMLElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus();
  };
  const soon = () => {
    if (!frame) frame = requestAnimationFrame(render);
  };
  // Rendering now (not on the next frame) keeps a click's effect well inside 300 ms even when the
  // tab is in the background and frames are throttled.
  const now = () => {
    if (frame) cancelAnimationFrame(frame);
    render();
  };

  const loadAnswers = async (promptId: string) => {
    if (loaded.has(promptId)) return;
    loaded.add(promptId);
    const r = await fetch(
      `/api/live/rooms/${view.state.roomId}/responses?promptId=${encodeURIComponent(promptId)}`,
      { credentials: 'same-origin' },
    );
    if (!r.ok) return loaded.delete(promptId);
    const body = (await r.json()) as { answers: AnswerOut[] };
    const m = bucket(promptId);
    for (const a of body.answers) if (!m.has(a.id)) m.set(a.id, a);
    soon();
  };
  const setState = (s: RoomState) => {
    view.state = s;
    if (s.currentPromptId) void loadAnswers(s.currentPromptId);
  };

  const error = document.getElementById('live-error');
  const say = (text: string) => {
    if (error) error.textContent = text;
  };

  document.addEventListener('submit', (e) => {
    const form = e.target as HTMLFormElement;
    if (!form.action.includes('/console/live/')) return;
    e.preventDefault();
    const body = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string') body.append(k, v);
    const csrf = body.get('_csrf') || view.csrf;
    void fetch(form.action, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { 'x-requested-with': 'fetch', 'x-csrf-token': csrf, accept: 'application/json' },
    })
      .then(async (r) => {
        if (!r.ok) {
          let message = r.statusText;
          try {
            message = ((await r.json()) as { error: { message: string } }).error.message;
          } catch {
            /* not JSON: keep the status text */
          }
          return say(t('failed', { message }));
        }
        say('');
        const out = (await r.json()) as { state: RoomState | null; answer: AnswerOut | null };
        if (out.state) setState(out.state);
        if (out.answer) bucket(out.answer.promptId).set(out.answer.id, out.answer);
        if (form.closest('details')) {
          form.reset();
          if (!out.state) return; // blocked words or kinds: nothing in the run of show changed
        }
        now();
      })
      .catch(() => say(t('offline')));
  });

  // Keyboard shortcuts, as documented on the page; never while typing in a field.
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    const target = e.target as HTMLElement;
    if (target.closest('input,textarea,select,[contenteditable]')) return;
    const key = e.key.toLowerCase();
    const op = key === 'n' ? 'next' : key === 'p' ? 'prev' : key === 'r' ? 'reveal' : '';
    if (!op) return;
    const cur = currentOf(view.state);
    const selector =
      op === 'reveal'
        ? cur
          ? `[data-key="${cur.revealed ? 'unreveal' : 'reveal'}:${cur.id}"]`
          : ''
        : `.ros-controls [data-key="${op}"]`;
    const button = selector ? dyn.querySelector<HTMLButtonElement>(selector) : null;
    if (!button) return;
    e.preventDefault();
    button.form?.requestSubmit();
  });

  listen(`/api/live/rooms/${view.state.roomId}/events`, {
    'room.state': (s) => {
      setState(s);
      soon();
    },
    'answers.new': (e) => {
      for (const a of e.answers) bucket(a.promptId).set(a.id, a);
      if (e.answers.some((a) => a.promptId === currentId())) soon();
    },
    'moderation.changed': (e) => {
      for (const a of e.answers) bucket(a.promptId).set(a.id, a);
      if (e.answers.some((a) => a.promptId === currentId())) soon();
    },
    'results.tick': (e) => {
      if (!e.results) return;
      results.set(e.promptId, e.results);
      if (e.promptId === currentId()) soon();
    },
  });
}
