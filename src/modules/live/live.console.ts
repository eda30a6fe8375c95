import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, FormError, type FieldIssue } from '../../lib/errors.ts';
import type { Db } from '../../db/index.ts';
import { html, raw } from '../../lib/html.ts';
import { dirOf, LANGUAGE_NAMES, SUPPORTED, type Lang } from '../../lib/i18n.ts';
import { toAppError } from '../../server/errors.ts';
import {
  formAlert,
  formErrorsOf,
  savedNotice,
  savedUrl,
  sendPage,
  type FieldLabels,
  type FormBody,
  type FormErrors,
} from '../../server/forms.ts';
import { inTransaction } from '../../server/tx.ts';
import { csrfField, field, page } from '../../server/layout.ts';
import { requireActor } from '../accounts/index.ts';
import { findSeries } from '../series/index.ts';
import { CONSOLE_CSS, consoleDyn, consoleT, currentOf, type ConsoleView } from './live.console.view.ts';
import { liveLinks } from './live.links.ts';
import * as repo from './live.repository.ts';
import { resultsOf } from './live.results.ts';
import { languageOf, type LiveRuntime } from './live.runtime.ts';
import { BUILTIN_KINDS, PROMPT_TYPES, PromptBody, type PromptInput } from './live.schema.ts';
import type { AnswerOut } from './live.events.ts';
import type { LiveRoomTable } from './live.tables.ts';
import * as svc from './live.service.ts';
import { loadRoomState } from './live.state.ts';
import { translationMessages } from '../../server/forms.i18n.ts';
import { promptTranslationForm, promptTranslationsFromForm } from './live.console.i18n.ts';
import { messages } from './messages/index.ts';

/**
 * The messages the console script needs in a language (console keys and the few shared ones the
 * results use), as ICU texts with English filling any gap.
 */
export function consoleTable(lang: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(messages.table(lang)).filter(
      ([k]) => k.startsWith('console.') || k.startsWith('kind_') || k === 'upvotes' || k === 'answered',
    ),
  );
}

/** The add-a-prompt fields written once per language, with their label's key. */
const PER_LANGUAGE = {
  text: 'field_text',
  choices: 'field_choices',
  minLabel: 'field_min_label',
  maxLabel: 'field_max_label',
};

/** Languages of a series, its source language first (English when it names none). */
async function seriesLanguages(db: Db, seriesId: string): Promise<string[]> {
  const s = await findSeries(db, seriesId);
  let list: string[] = [];
  try {
    list = (JSON.parse(s?.languages ?? '[]') as string[]).filter((l) =>
      (SUPPORTED as readonly string[]).includes(l),
    );
  } catch {
    /* an unreadable list counts as none */
  }
  return list.length ? list : ['en'];
}

/** The facilitator console of a session's live room, and its form actions (progressively enhanced). */
export function liveConsole(live: LiveRuntime) {
  return async (app: FastifyInstance): Promise<void> => {
    const { db } = app.ctx;

    app.get('/console/sessions/:id/live', { schema: { hide: true } }, async (req, reply) => {
      requireActor(req.actor);
      const room = await svc.roomOfSession(db, req.actor, (req.params as { id: string }).id);
      return sendPage(reply, await livePage(req, room));
    });

    /**
     * The live room page. After a refused form (no script) it comes back with the form open, what was
     * typed kept, every message next to its field and a summary at the top.
     */
    async function livePage(
      req: FastifyRequest,
      room: LiveRoomTable,
      form: {
        name?: 'create' | 'blocked' | 'kind' | 'translate';
        errors?: FormErrors;
        values?: FormBody;
      } = {},
    ): Promise<string> {
      const state = await loadRoomState(db, room);
      const lang = languageOf(req);
      const t = consoleT((key, values) => messages.lookup(lang, key, values));
      const act = `/console/live/${room.id}`;
      const languages = await seriesLanguages(db, room.series_id);
      const kinds = [...BUILTIN_KINDS, ...(await repo.kindsOf(db, room.series_id))];
      const current = currentOf(state);
      const words = await repo.blockedWordsOf(db, room.series_id);
      const answers = current
        ? (await repo.responsesOf(db, room.id, current.id, undefined, 200)).map(repo.answerOut)
        : [];
      const results = current
        ? resultsOf(
            current,
            answers.filter((a) => a.status !== 'hidden'),
          )
        : null;
      const view: ConsoleView = {
        state,
        answers,
        results,
        csrf: req.csrfToken,
        action: act,
        lang,
        languages,
      };
      req.csrfUsed = true;
      const links = liveLinks(app.ctx.config.publicUrl, room.session_id, room.code);
      const data = JSON.stringify({ ...view, msgs: consoleTable(lang) }).replace(/</g, '\\u003c');
      const byLang = (l: string) => LANGUAGE_NAMES[l as keyof typeof LANGUAGE_NAMES] ?? l;
      const errors = form.errors ?? {};
      const value = (name: string) => {
        const v = form.values?.[name];
        return Array.isArray(v) ? v.join('\n') : v;
      };
      const opts = (name: string) => ({ errors, value: value(name) });
      const labels: FieldLabels = {};
      // The series' languages, plus any other language a refused form had text in (kept, not lost).
      const formLangs = [
        ...languages,
        ...SUPPORTED.filter(
          (l) =>
            !languages.includes(l) && Object.keys(PER_LANGUAGE).some((name) => value(`${name}_${l}`)?.trim()),
        ),
      ];
      const perLang = (name: string, label: string, l: string, i: number, textarea = false) =>
        field(`${name}_${l}`, t(label, { language: byLang(l) }), {
          ...opts(`${name}_${l}`),
          textarea,
          required: name === 'text' && i === 0,
          hint: i === 0 ? t('source_hint') : t('optional_hint'),
          attrs: html`lang="${l}" dir="${dirOf(l)}"`,
        });
      // The error summary names each field as its label does (it is drawn before the fields).
      Object.assign(labels, { type: t('field_type'), kind: t('field_kind'), min: t('field_min') });
      Object.assign(labels, { max: t('field_max'), words: t('blocked_hint'), key: t('kind_key') });
      labels.label = t('kind_label');
      for (const [name, label] of Object.entries(PER_LANGUAGE))
        for (const l of formLangs) labels[`${name}_${l}`] = t(label, { language: byLang(l) });
      const body = html`<div id="live-root">
        <h1>${t('title', { title: state.sessionTitle })}</h1>
        <div class="links">
          <span>${t('join_code')} <b dir="ltr" style="font-size:1.4rem;letter-spacing:.1em">${room.code}</b></span>
          <a href="${links.attendee}">${t('attendee_link')}: <bdi dir="ltr">${links.attendee.replace(/^https?:\/\//, '')}</bdi></a>
          <a href="${links.presenter}">${t('presenter_screen')}</a>
          <a href="${links.qr}"
            ><img src="${links.qr}" alt="${t('qr_alt', { url: links.attendee })}" width="128" height="128"
          /></a>
        </div>
        <p class="muted">${t('shortcuts')}</p>
        ${savedNotice(req, { prompt: t('saved_prompt'), blocked: t('saved_blocked'), kind: t('saved_kind'), translated: translationMessages.t(lang)('tr.saved') })}
        <p id="live-error" role="alert" class="error"></p>
        <div id="live-dyn">${consoleDyn(view, t)}</div>
        <details class="card" id="add-prompt" ${form.name === 'create' ? raw('open') : ''}>
          <summary>${t('add_prompt')}</summary>
          ${form.name === 'create' ? formAlert(errors, labels, t('fix_heading')) : ''}
          <form method="post" action="${act}">
            ${csrfField(req)}<input type="hidden" name="op" value="create" />
            ${field('type', t('field_type'), { ...opts('type'), options: PROMPT_TYPES.map((v) => ({ value: v, label: t(`type_${v}`) })) })}
            ${field('kind', t('field_kind'), { ...opts('kind'), options: kinds.map((k) => ({ value: k, label: messages.lookup(lang, `kind_${k}`) ?? k.replace(/_/g, ' ') })) })}
            ${formLangs.map((l, i) => perLang('text', 'field_text', l, i))}
            ${formLangs.map((l, i) => perLang('choices', 'field_choices', l, i, true))}
            <label
              ><input type="checkbox" name="multiple" value="1" style="width:auto" ${value('multiple') ? raw('checked') : ''} />
              ${t('field_multiple')}</label
            >
            <div class="row">
              ${field('min', t('field_min'), { type: 'number', errors, value: value('min') ?? 1 })}${field('max', t('field_max'), { type: 'number', errors, value: value('max') ?? 5 })}
            </div>
            ${formLangs.map((l, i) => perLang('minLabel', 'field_min_label', l, i))}
            ${formLangs.map((l, i) => perLang('maxLabel', 'field_max_label', l, i))}
            <label
              ><input type="checkbox" name="seriesLevel" value="1" style="width:auto" ${value('seriesLevel') ? raw('checked') : ''} />
              ${t('field_series_level')}</label
            >
            <button type="submit">${t('add')}</button>
          </form>
        </details>
        <details class="card" id="blocked-words" ${form.name === 'blocked' ? raw('open') : ''}>
          <summary>${t('blocked_words', { count: words.length })}</summary>
          ${form.name === 'blocked' ? formAlert(errors, labels, t('fix_heading')) : ''}
          <form method="post" action="${act}">
            ${csrfField(req)}<input type="hidden" name="op" value="blocked" />${field(
              'words',
              t('blocked_hint'),
              {
                textarea: true,
                errors,
                value: value('words') ?? words.join('\n'),
              },
            )}<button type="submit">${t('save_blocked')}</button>
          </form>
        </details>
        <details class="card" id="custom-kind" ${form.name === 'kind' ? raw('open') : ''}>
          <summary>${t('custom_kind')}</summary>
          ${form.name === 'kind' ? formAlert(errors, labels, t('fix_heading')) : ''}
          <form method="post" action="${act}">
            ${csrfField(req)}<input type="hidden" name="op" value="kind" />${field('key', t('kind_key'), {
              ...opts('key'),
              required: true,
            })}${field('label', t('kind_label'), { ...opts('label'), required: true })}<button type="submit">
              ${t('add_kind')}
            </button>
          </form>
        </details>
        ${promptTranslationForm(req, {
          action: `/console/rooms/${room.id}/translations`,
          page: `/console/sessions/${room.session_id}/live`,
          prompts: state.prompts,
          current: state.currentPromptId,
          seriesLanguages: languages,
          errors,
          values: form.name === 'translate' ? form.values : undefined,
        })}
        <script type="application/json" id="console-data">
          ${raw(data)}
        </script>
      </div>`;
      return page(
        req,
        {
          title: t('title', { title: state.sessionTitle }),
          lang,
          head: html`<style>
            ${raw(CONSOLE_CSS)}
          </style>`,
          scripts: ['/assets/console-live.js'],
        },
        body,
      );
    }

    // Translations of a prompt: a plain form post and redirect (the console script takes over only the
    // forms posting to /console/live/, and this form must come back with what was saved).
    app.post('/console/rooms/:roomId/translations', { schema: { hide: true } }, async (req, reply) => {
      const room = await svc.facilitatedRoom(db, req.actor, (req.params as { roomId: string }).roomId);
      const f = req.body as FormBody;
      const promptId = String(f.promptId ?? '');
      try {
        const prompt = (await loadRoomState(db, room)).prompts.find((p) => p.id === promptId);
        const input = promptTranslationsFromForm(f, prompt, await seriesLanguages(db, room.series_id));
        await inTransaction(db, (trx) => svc.translatePrompt(trx, req.actor, room, promptId, input));
      } catch (e) {
        const err = toAppError(e);
        if (err.status >= 500 || err.status === 401 || err.status === 403) throw e;
        const errors = formErrorsOf(e, languageOf(req));
        return sendPage(
          reply,
          await livePage(req, room, { name: 'translate', errors, values: f }),
          err.status,
        );
      }
      await live.changed(room.id);
      const back = savedUrl(`/console/sessions/${room.session_id}/live`, 'translated');
      return reply.redirect(`${back}&translate=${encodeURIComponent(promptId)}#translate-prompt`, 303);
    });

    // One form endpoint for every console action; the script posts the same forms with fetch and
    // gets the room's new state back at once (the event stream follows for everyone else).
    app.post('/console/live/:roomId', { schema: { hide: true } }, async (req, reply) => {
      const room = await svc.facilitatedRoom(db, req.actor, (req.params as { roomId: string }).roomId);
      const f = req.body as Record<string, string | undefined>;
      const s = (k: string) => String(f[k] ?? '');
      const op = s('op');
      let answer: AnswerOut | undefined;
      if (['open', 'close', 'reveal', 'unreveal'].includes(op))
        await inTransaction(db, (trx) => svc.promptAction(trx, req.actor, room, s('promptId'), op as 'open'));
      else if (op === 'current')
        await inTransaction(db, (trx) => svc.makeCurrent(trx, req.actor, room, s('promptId')));
      else if (op === 'next' || op === 'prev')
        await inTransaction(db, (trx) => svc.stepPrompt(trx, req.actor, room, op === 'next' ? 1 : -1));
      else if (op === 'delete') await svc.deletePrompt(db, req.actor, room, s('promptId'));
      else if (op === 'premod') await svc.setPreModeration(db, req.actor, room, s('on') === '1');
      else if (['approve', 'hide', 'pin', 'unpin', 'answered'].includes(op)) {
        answer = await svc.moderate(db, req.actor, room, s('responseId'), op as 'approve');
        live.hub.publish({ t: 'moderation', roomId: room.id, answers: [answer] });
      } else if (op === 'blocked' || op === 'kind' || op === 'create') {
        const lang = languageOf(req);
        try {
          if (op === 'blocked')
            await inTransaction(db, (trx) =>
              svc.setBlockedWords(trx, req.actor, room.series_id, s('words').split(/\r?\n/)),
            );
          else if (op === 'kind')
            await svc.addKind(db, req.actor, room.series_id, s('key').trim().toLowerCase(), {
              [lang]: s('label').trim(),
            });
          else {
            const languages = await seriesLanguages(db, room.series_id);
            const input = promptFromForm(f, lang, languages);
            await inTransaction(db, (trx) => svc.createPrompt(trx, req.actor, room, input)).catch(
              (e: unknown) => {
                // The service names its own fields; the form has one of them per language.
                const err = toAppError(e);
                if (err.status >= 500) throw e;
                const named = err.field === 'settings.max' ? 'max' : err.field;
                const field =
                  named === 'choices' || named === 'text' ? `${named}_${languages[0]}` : named || '_form';
                throw new FormError([{ field, code: err.code, message: err.message }]);
              },
            );
          }
        } catch (e) {
          const err = toAppError(e);
          if (err.status >= 500 || err.status === 401 || err.status === 403) throw e;
          if (req.headers['x-requested-with'] === 'fetch') throw e;
          const errors = formErrorsOf(e, lang);
          return sendPage(reply, await livePage(req, room, { name: op, errors, values: f }), err.status);
        }
      } else throw new AppError(422, 'unknown_action', 'Unknown action.', 'op');
      const roomChanged = !answer && op !== 'blocked' && op !== 'kind';
      if (roomChanged) await live.changed(room.id);
      if (req.headers['x-requested-with'] === 'fetch') {
        const fresh = await repo.findRoomById(db, room.id);
        return reply.send({ state: fresh ? await loadRoomState(db, fresh) : null, answer: answer ?? null });
      }
      const back = `/console/sessions/${room.session_id}/live`;
      const saved = ({ create: 'prompt', blocked: 'blocked', kind: 'kind' } as Record<string, string>)[op];
      return reply.redirect(saved ? savedUrl(back, saved) : back, 303);
    });
  };
}

/** Lines of a textarea, trimmed, empty lines dropped. */
const lines = (v: string | string[] | undefined) =>
  String(v ?? '')
    .split(/\r?\n/)
    .map((c) => c.trim())
    .filter(Boolean);

/**
 * Reads the "add a prompt" form: prompt text, choices and scale labels per language (fields named
 * `text_fr`, `choices_fr`, ...). Choice lines match by position across languages; every error is
 * reported with its field.
 */
export function promptFromForm(
  f: Record<string, string | string[] | undefined>,
  lang = 'en',
  seriesLangs: string[] = [],
): PromptInput {
  const t = consoleT((key, values) => messages.lookup(lang, key, values));
  const s = (k: string) => {
    const v = f[k];
    return (Array.isArray(v) ? v.join(' ') : String(v ?? '')).trim();
  };
  const given = SUPPORTED.filter((l) => s(`text_${l}`) || lines(f[`choices_${l}`]).length);
  // The source language is the first one filled in, in the form's order (the series' languages).
  const order = Object.keys(f)
    .filter((k) => k.startsWith('text_') && s(k))
    .map((k) => k.slice(5))
    .filter((l) => (given as string[]).includes(l));
  const langs = [...new Set([...order, ...given])];
  const text: Record<string, string> = {};
  for (const l of langs) if (s(`text_${l}`)) text[l] = s(`text_${l}`);
  const type = s('type');
  const source = langs.find((l) => lines(f[`choices_${l}`]).length) ?? langs[0];
  const count = source ? lines(f[`choices_${source}`]).length : 0;
  const issues: FieldIssue[] = [];
  for (const l of langs) {
    const n = lines(f[`choices_${l}`]).length;
    if (n && n !== count)
      issues.push({
        field: `choices_${l}`,
        code: 'choices_mismatch',
        message: t('err_choices_mismatch', { n, count, source: LANGUAGE_NAMES[source as Lang] ?? source }),
      });
  }
  const choices = Array.from({ length: count }, (_, i) => ({
    text: Object.fromEntries(
      langs.map((l) => [l, lines(f[`choices_${l}`])[i]]).filter((e): e is [string, string] => !!e[1]),
    ),
  }));
  const label = (name: string) => {
    const out: Record<string, string> = {};
    for (const l of langs) if (s(`${name}_${l}`)) out[l] = s(`${name}_${l}`);
    for (const l of SUPPORTED) if (!out[l] && s(`${name}_${l}`)) out[l] = s(`${name}_${l}`);
    return Object.keys(out).length ? out : undefined;
  };
  const minLabel = label('minLabel');
  const maxLabel = label('maxLabel');
  const parsed = PromptBody.safeParse({
    type,
    kind: type === 'open_text' ? s('kind') || 'best_practice' : null,
    text,
    choices,
    settings:
      type === 'scale'
        ? {
            min: Number(s('min') || 1),
            max: Number(s('max') || 5),
            ...(minLabel ? { minLabel } : {}),
            ...(maxLabel ? { maxLabel } : {}),
          }
        : type === 'poll'
          ? { multiple: s('multiple') === '1' }
          : {},
    seriesLevel: s('seriesLevel') === '1',
  });
  if (!parsed.success)
    for (const i of parsed.error.issues) {
      const where = String(i.path[0] ?? '');
      if (where === 'text')
        issues.push({
          field: `text_${langs[0] ?? seriesLangs[0] ?? 'en'}`,
          code: 'required',
          message: t('err_text_required'),
        });
      else if (where === 'settings')
        issues.push({ field: String(i.path[1] ?? 'max'), code: 'invalid_scale', message: i.message });
      else issues.push({ field: where || '_form', code: 'invalid_prompt', message: i.message });
    }
  if (type === 'scale' && Number(s('min') || 1) >= Number(s('max') || 5))
    issues.push({ field: 'max', code: 'invalid_scale', message: t('err_scale') });
  if (issues.length || !parsed.success) throw new FormError(issues);
  return parsed.data;
}
