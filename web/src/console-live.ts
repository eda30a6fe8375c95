// Facilitator console: actions post the same forms with fetch, and every facilitator's view follows
// the room's live feed (state, new answers, moderation) — several facilitators see the same state.
import { listen } from './live-common.ts';

const root = document.getElementById('live-root');
if (root) {
  const roomId = root.dataset.room!;
  let timer = 0;
  let last = 0;
  const refresh = async () => {
    last = Date.now();
    const html = await (await fetch(location.href, { credentials: 'same-origin' })).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const fresh = doc.getElementById('live-dyn');
    const mine = document.getElementById('live-dyn');
    if (fresh && mine && !mine.contains(document.activeElement)) mine.replaceWith(fresh);
  };
  const soon = (ms = 250) => {
    if (timer) return;
    timer = window.setTimeout(
      () => {
        timer = 0;
        void refresh();
      },
      Math.max(ms, 1000 - (Date.now() - last)),
    );
  };
  document.addEventListener('submit', (e) => {
    const form = e.target as HTMLFormElement;
    if (!form.action.includes('/console/live/')) return;
    e.preventDefault();
    const body = new URLSearchParams(new FormData(form) as unknown as Record<string, string>);
    void fetch(form.action, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { 'x-requested-with': 'fetch', 'x-csrf-token': root.dataset.csrf || '' },
    }).then((r) => {
      if (r.ok) {
        if (form.closest('details')) form.reset();
        void refresh();
      } else void r.text().then(() => alert('That did not work. Reload the page and try again.'));
    });
  });
  listen(`/api/live/rooms/${roomId}/events`, {
    'room.state': () => soon(0),
    'moderation.changed': () => soon(0),
    'answers.new': () => soon(),
    'results.tick': () => soon(),
  });
}
