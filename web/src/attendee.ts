// Attendee page: answers go into a local outbox (with a client key) before the first attempt and
// are retried with backoff until acknowledged — across reloads and lost connections. The server
// dedupes by client key, so an answer is never recorded twice. Without this script the forms post.
import { esc, listen } from './live-common.ts';
import type { Results } from '../../src/modules/live/live.events.ts';

interface Item {
  code: string;
  promptId: string;
  body: Record<string, unknown>;
  tries: number;
}
const KEY = 'colloquy.outbox';
const d = document.body.dataset;
const code = d.code!;
const lang = d.lang!;
const msgs = JSON.parse(document.getElementById('msgs')?.textContent || '{}') as Record<string, string>;
const timers: Record<string, number> = {};

const load = (): Item[] => {
  try {
    return JSON.parse(localStorage.getItem(KEY) || '[]') as Item[];
  } catch {
    return [];
  }
};
const save = (items: Item[]) => {
  try {
    localStorage.setItem(KEY, JSON.stringify(items));
  } catch {
    /* private mode: the in-page retry still works */
  }
};
const drop = (key: unknown) => save(load().filter((i) => i.body.clientKey !== key));
const newKey = () =>
  crypto.randomUUID
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;

function status(promptId: string, text: string, bad = false) {
  const out = document.querySelector<HTMLElement>(`form[data-prompt="${promptId}"] .out`);
  if (out) {
    out.textContent = text;
    out.className = bad ? 'out alert' : 'out';
  }
}

async function send(item: Item): Promise<void> {
  const key = String(item.body.clientKey);
  clearTimeout(timers[key]);
  let res: Response | null = null;
  try {
    res = await fetch(`/api/rooms/${item.code}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(d.csrf ? { 'x-csrf-token': d.csrf } : {}) },
      body: JSON.stringify(item.body),
      credentials: 'same-origin',
    });
  } catch {
    res = null;
  }
  if (res && (res.status === 200 || res.status === 201)) {
    drop(key);
    status(item.promptId, msgs.thanks);
    return;
  }
  if (res && res.status >= 400 && res.status < 500 && res.status !== 429 && res.status !== 408) {
    drop(key);
    let c = 'generic';
    try {
      c = ((await res.json()) as { error: { code: string } }).error.code;
    } catch {
      /* keep generic */
    }
    status(item.promptId, msgs[`err_${c}`] || msgs.err_generic, true);
    return;
  }
  // Offline, server busy or restarting: keep it and try again later.
  const all = load();
  const mine = all.find((i) => i.body.clientKey === key);
  if (mine) {
    mine.tries++;
    save(all);
  }
  const retryAfter = Number(res?.headers.get('retry-after')) * 1000;
  const wait =
    retryAfter || Math.min(30000, 1000 * 2 ** Math.min(item.tries, 5)) * (0.7 + Math.random() * 0.6);
  item.tries++;
  status(item.promptId, msgs.saved_offline);
  timers[key] = window.setTimeout(() => void send(item), wait);
}

function flush() {
  for (const item of load()) if (item.code === code) void send(item);
}

document.addEventListener('submit', (e) => {
  const form = e.target as HTMLFormElement;
  if (!form.matches('form.answer')) return;
  e.preventDefault();
  const fd = new FormData(form);
  const str = (k: string) => {
    const v = fd.get(k);
    return typeof v === 'string' ? v : '';
  };
  const promptId = str('promptId');
  const body: Record<string, unknown> = { promptId, clientKey: newKey(), language: lang };
  const type = form.dataset.type;
  if (fd.has('text')) body.text = str('text');
  if (fd.has('choice')) body.choice = str('choice');
  if (fd.getAll('choices').length)
    body.choices = fd.getAll('choices').filter((v): v is string => typeof v === 'string');
  if (fd.has('value')) body.value = Number(str('value'));
  if (type === 'ranking') {
    body.choices = [...form.querySelectorAll<HTMLSelectElement>('select')]
      .map((s) => ({ id: s.name.slice(5), r: Number(s.value) }))
      .sort((a, b) => a.r - b.r)
      .map((x) => x.id);
  }
  const item: Item = { code, promptId, body, tries: 0 };
  save([...load(), item]); // stored before the first attempt: a reload or crash cannot lose it
  status(promptId, msgs.sending);
  if (type !== 'poll' && type !== 'scale' && type !== 'ranking') form.reset();
  void send(item);
});
window.addEventListener('online', flush);
flush();

function renderResults(r: Results): string {
  const rows = (r.choices || [])
    .map((c) => [c.id, c.count] as [string, number])
    .concat((r.values || []).map((v) => [String(v.value), v.count]));
  const max = Math.max(1, ...rows.map((x) => x[1]));
  let h = rows.length
    ? `<ul class="bars">${rows.map(([k, n]) => `<li><span class="bl">${esc(k)}</span><span class="bar"><span style="width:${Math.round((n / max) * 100)}%"></span></span><b>${n}</b></li>`).join('')}</ul>`
    : '';
  if (r.words) h += `<p class="cloud">${r.words.map((w) => `<span>${esc(w.word)}</span>`).join(' ')}</p>`;
  if (r.answers)
    h += `<ul class="answers">${r.answers.map((a) => `<li dir="auto">${esc(a.text)}</li>`).join('')}</ul>`;
  return h;
}

let open = d.open || '';
listen(`/api/rooms/${code}/events?channel=attendee`, {
  'room.state': (s) => {
    const now = s.prompts
      .filter((p) => p.status === 'open')
      .map((p) => p.id)
      .join(',');
    const revealed = s.prompts.filter((p) => p.revealed).length;
    const current = s.currentPromptId ?? '';
    if (
      now === open &&
      current === (d.current ?? '') &&
      String(revealed) === (d.revealed ?? String(revealed))
    )
      return;
    d.revealed = String(revealed);
    d.current = current;
    open = now;
    const typing = [
      ...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('textarea,input[type=text]'),
    ].some((el) => el.value);
    if (!typing) return location.reload();
    const live = document.getElementById('live');
    if (live && !document.getElementById('newq'))
      live.insertAdjacentHTML(
        'afterbegin',
        `<p class="notice" id="newq" role="status">${esc(msgs.new_question)} <a href="/j/${code}?lang=${lang}">${esc(msgs.show)}</a></p>`,
      );
  },
  'results.tick': (t) => {
    if (!t.results) return;
    let box = document.querySelector<HTMLElement>(`[data-results="${t.promptId}"]`);
    if (!box) {
      const form = document.querySelector(`form[data-prompt="${t.promptId}"]`);
      if (!form) return;
      box = document.createElement('div');
      box.dataset.results = t.promptId;
      form.after(box);
    }
    box.innerHTML = renderResults(t.results);
  },
});
