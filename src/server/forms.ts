import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { FormError } from '../lib/errors.ts';
import { html, type Html } from '../lib/html.ts';
import { translateError } from './error-messages.ts';
import { toAppError } from './errors.ts';

/** The body of an HTML form post: a field may repeat (checkboxes). */
export type FormBody = Record<string, string | string[] | undefined>;
/** Messages by field name; `_form` is for the whole form. */
export type FormErrors = Record<string, string>;

export { FormError };

/** Sends a server-rendered page. */
export const sendPage = (reply: FastifyReply, body: string, status = 200) =>
  reply.status(status).type('text/html; charset=utf-8').send(body);

/** Parses a form with a zod schema; on failure throws every field's message at once. */
export function parseForm<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw new FormError(
    r.error.issues.map((i) => ({
      field: i.path.length ? String(i.path[0]) : '_form',
      code: i.code === 'custom' ? 'invalid_value' : i.code,
      message: i.message,
    })),
  );
}

/** The messages of any error a form action threw, by field, in the reader's language (by code). */
export function formErrorsOf(e: unknown, lang?: string): FormErrors {
  if (e instanceof FormError) {
    const out: FormErrors = {};
    for (const i of e.issues) out[i.field] ??= translateError(lang, i);
    return out;
  }
  const err = toAppError(e);
  return { [err.field ?? '_form']: translateError(lang, err) };
}

/** Runs a form action; a 4xx comes back as the form again with every message next to its field. */
export async function formAction(
  reply: FastifyReply,
  action: () => Promise<string>,
  rerender: (errors: FormErrors) => Promise<string>,
) {
  try {
    return reply.redirect(await action(), 303);
  } catch (e) {
    const err = toAppError(e);
    if (err.status >= 500 || err.status === 401) throw e;
    return sendPage(reply, await rerender(formErrorsOf(e, reply.request.lang)), err.status);
  }
}

/** How the error summary names and links a field: its label, and its element id when not `f-<name>`. */
export type FieldLabels = Record<string, string | { id: string; label: string }>;

/**
 * The error summary at the top of a form: one link per wrong field that moves the focus to it,
 * and the message that concerns the whole form. Announced to screen readers.
 */
export function formAlert(
  errors: FormErrors,
  labels: FieldLabels = {},
  heading = 'Please correct the following:',
): Html | '' {
  const entries = Object.entries(errors).filter(([, m]) => m);
  if (!entries.length) return '';
  const fields = entries.filter(([k]) => k !== '_form');
  return html`<div class="alert" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
    <p id="error-summary-title"><strong>${errors._form && !fields.length ? errors._form : heading}</strong></p>
    ${errors._form && fields.length ? html`<p>${errors._form}</p>` : ''}
    ${
      fields.length
        ? html`<ul>
          ${fields.map(([k, m]) => {
            const l = labels[k];
            const id = typeof l === 'object' ? l.id : `f-${k}`;
            const label = typeof l === 'object' ? l.label : l;
            return html`<li><a href="#${id}">${label ? `${label}: ` : ''}${m}</a></li>`;
          })}
        </ul>`
        : ''
    }
  </div>`;
}

/** Adds `?saved=<what>` to a path (before its #fragment), so the next page confirms the save. */
export function savedUrl(path: string, what: string): string {
  const [base, hash] = path.split('#');
  return `${base}${base.includes('?') ? '&' : '?'}saved=${encodeURIComponent(what)}${hash ? `#${hash}` : ''}`;
}

/**
 * The confirmation after a save, from a fixed list of messages (never the text of the address, so a
 * crafted link cannot put words on the page).
 */
export function savedNotice(req: FastifyRequest, messages: Record<string, string>): Html | '' {
  const what = (req.query as { saved?: unknown } | undefined)?.saved;
  if (typeof what !== 'string') return '';
  const text = Object.hasOwn(messages, what) ? messages[what] : what === '1' ? 'Saved.' : null;
  return text ? html`<p class="notice" role="status">${text}</p>` : '';
}
