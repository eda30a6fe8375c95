import type { AppError } from '../lib/errors.ts';
import { toLang } from '../lib/i18n.ts';
import { messages } from './messages/index.ts';

/**
 * An error's message in the reader's language, found by its stable code (`error.code.<code>` in
 * src/server/messages). English keeps the service's own, more specific sentence; a code without a
 * translation keeps the English sentence rather than showing a key.
 */
export function translateError(lang: string | undefined, e: Pick<AppError, 'code' | 'message'>): string {
  const l = toLang(lang);
  if (l === 'en') return e.message;
  const key = `error.code.${e.code}`;
  return messages.has(key) ? messages.t(l)(key) : e.message;
}
