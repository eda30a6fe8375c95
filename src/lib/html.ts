/**
 * Server-side HTML with escaping by default: every interpolated value is escaped unless it is
 * already `Html` (produced by this tag or `raw`). User text can never become markup by accident.
 */
export class Html {
  constructor(public readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML content and quoted attribute values. */
const SPECIAL = /[&<>"']/;

export function escapeHtml(s: string): string {
  // Most values (ids, dates, plain words) have nothing to escape: a test is cheaper than a replace.
  return SPECIAL.test(s) ? s.replace(/[&<>"']/g, (c) => ESC[c]) : s;
}

type Part = Html | string | number | boolean | null | undefined | Part[];

function render(v: Part): string {
  if (v === null || v === undefined || v === false || v === true) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

/** Tagged template producing escaped HTML. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Trusted markup (never user input). */
export function raw(s: string): Html {
  return new Html(s);
}

/** Only http(s) and relative links survive; anything else (javascript:, data:) becomes '#'. */
export function safeUrl(u: string | null | undefined): string {
  if (!u) return '#';
  try {
    const parsed = new URL(u, 'http://relative.invalid');
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return u;
  } catch {
    /* fall through */
  }
  return '#';
}
