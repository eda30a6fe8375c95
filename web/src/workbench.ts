// Review queue keys: a accept, r reject, 1–9 choose a theme, n next; selecting text codes only that passage.
// The page works without this script: every response is its own form.

const units = Array.from(document.querySelectorAll<HTMLElement>('[data-unit]'));
let current = 0;

function focusUnit(i: number): void {
  if (!units.length) return;
  current = (i + units.length) % units.length;
  units.forEach((u, k) => u.classList.toggle('current', k === current));
  const u = units[current];
  u.scrollIntoView({ block: 'nearest' });
  u.querySelector<HTMLSelectElement>('[data-theme]')?.setAttribute('aria-describedby', 'keys-help');
}

function textOffset(root: HTMLElement, node: Node, offset: number): number {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let total = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n === node) return total + offset;
    total += (n.textContent ?? '').length;
  }
  return total;
}

function onSelection(u: HTMLElement): void {
  const sel = window.getSelection();
  const text = u.querySelector<HTMLElement>('[data-text]');
  const start = u.querySelector<HTMLInputElement>('[data-start]');
  const end = u.querySelector<HTMLInputElement>('[data-end]');
  const note = u.querySelector<HTMLElement>('[data-span-note]');
  if (!sel || !text || !start || !end || !note) return;
  if (sel.isCollapsed || !text.contains(sel.anchorNode) || !text.contains(sel.focusNode)) {
    start.value = '';
    end.value = '';
    note.textContent = '';
    return;
  }
  const a = textOffset(text, sel.anchorNode!, sel.anchorOffset);
  const b = textOffset(text, sel.focusNode!, sel.focusOffset);
  start.value = String(Math.min(a, b));
  end.value = String(Math.max(a, b));
  note.textContent = `Coding only the passage: “${(text.textContent ?? '').slice(Math.min(a, b), Math.max(a, b))}”`;
}

units.forEach((u, i) => {
  u.addEventListener('mouseup', () => onSelection(u));
  u.addEventListener('keyup', () => onSelection(u));
  u.addEventListener('focusin', () => {
    if (current !== i) focusUnit(i);
  });
});

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target as HTMLElement;
  if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA')) return;
  const u = units[current];
  if (!u) return;
  const form = u.querySelector<HTMLFormElement>('form');
  const select = u.querySelector<HTMLSelectElement>('[data-theme]');
  if (e.key === 'a' || e.key === 'r') {
    const button = u.querySelector<HTMLButtonElement>(e.key === 'a' ? '[data-accept]' : '[data-reject]');
    if (form && button) {
      e.preventDefault();
      form.requestSubmit(button);
    }
  } else if (e.key === 'n') {
    e.preventDefault();
    focusUnit(current + 1);
  } else if (/^[1-9]$/.test(e.key) && select) {
    const k = Number(e.key) - 1;
    if (k < select.options.length) {
      e.preventDefault();
      select.selectedIndex = k;
    }
  }
});

focusUnit(0);
