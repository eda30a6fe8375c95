// Public series and session pages: show each session in the viewer's own time zone (detected,
// and changeable). Without this script the server shows UTC and the organisers' zone.
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
  const lang = document.documentElement.lang || navigator.language;
  const day = new Intl.DateTimeFormat(navigator.language || lang, {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  const hm = new Intl.DateTimeFormat(navigator.language || lang, {
    timeZone: tz,
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  document.querySelectorAll<HTMLTimeElement>('time[data-local]').forEach((el) => {
    const start = new Date(el.dateTime);
    const end = el.dataset.end ? new Date(el.dataset.end) : null;
    el.textContent = `${day.format(start)}${end ? ` – ${hm.format(end)}` : ''} (${tz})`;
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
