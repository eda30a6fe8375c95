import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { html } from '../lib/html.ts';
import { translateError } from './error-messages.ts';
import { toAppError } from './errors.ts';

/** The body of an HTML form post: a field may repeat (checkboxes). */
export type FormBody = Record<string, string | string[] | undefined>;
/** Messages by field name; `_form` is for the whole form. */
export type FormErrors = Record<string, string>;

/** Sends a server-rendered page. */
export const sendPage = (reply: FastifyReply, body: string, status = 200) =>
  reply.status(status).type('text/html; charset=utf-8').send(body);

/** Parses a form with a zod schema; on failure throws the first issue as a field error. */
export function parseForm<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  throw new AppError(422, 'invalid_form', i.message, i.path.length ? String(i.path[0]) : '_form');
}

/** Runs a form action; a 4xx comes back as the form again with the message next to its field. */
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
    return sendPage(
      reply,
      await rerender({ [err.field ?? '_form']: translateError(reply.request.lang, err) }),
      err.status,
    );
  }
}

/** The message that concerns the whole form, announced to screen readers. */
export const formAlert = (errors: FormErrors) =>
  errors._form ? html`<p class="alert" role="alert">${errors._form}</p>` : '';
