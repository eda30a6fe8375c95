// Shared by the live scripts: typed server-sent events (the one event map of the server).
import type { LiveEventName, LiveEvents } from '../../src/modules/live/live.events.ts';

/** Listens to typed live events; EventSource resumes with Last-Event-ID by itself after a drop. */
export function listen(
  url: string,
  handlers: { [K in LiveEventName]?: (data: LiveEvents[K]) => void },
): EventSource {
  const es = new EventSource(url);
  for (const name of Object.keys(handlers) as LiveEventName[]) {
    const fn = handlers[name] as (d: unknown) => void;
    es.addEventListener(name, (e) => fn(JSON.parse((e as MessageEvent<string>).data)));
  }
  return es;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (s: string | number | null | undefined) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]);
/** Same as the server's localise: the reader's language, else the source language (written first). */
export const loc = (t: Record<string, string> | undefined, lang: string) =>
  t ? t[lang]?.trim() || Object.values(t).find((v) => v?.trim()) || '' : '';
