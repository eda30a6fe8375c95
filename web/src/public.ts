// Public series and session pages: show each session in the viewer's own time zone (detected,
// and changeable). Without this script the server shows UTC and the organisers' zone.
import { fmt } from '../../src/lib/format.ts';

const KEY = 'colloquy.tz';

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function render(tz: string): void {
  // The page's language and its hour cycle, the same helper the server used (no 12/24-hour mix).
  const f = fmt(document.documentElement.lang || 'en');
  document.querySelectorAll<HTMLTimeElement>('time[data-local]').forEach((el) => {
    const start = new Date(el.dateTime);
    el.textContent = el.dataset.end ? f.range(start, el.dataset.end, tz) : f.dateTime(start, tz);
  });
  const input = document.querySelector<HTMLInputElement>('[data-tz-form] input[name=tz]');
  if (input && !input.value) input.value = tz;
}

const params = new URLSearchParams(location.search);
const chosen = params.get('tz');
if (chosen && validZone(chosen)) {
  localStorage.setItem(KEY, chosen);
} else {
  const stored = localStorage.getItem(KEY);
  const tz = stored && validZone(stored) ? stored : Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (tz) render(tz);
}
document.querySelector<HTMLFormElement>('[data-tz-form]')?.addEventListener('submit', (e) => {
  const input = (e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('input[name=tz]');
  if (input && validZone(input.value)) {
    e.preventDefault();
    localStorage.setItem(KEY, input.value);
    render(input.value);
    history.replaceState(null, '', `?tz=${encodeURIComponent(input.value)}`);
  }
});
