import type { FastifyInstance } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import type { Db } from '../../db/index.ts';
import { html, raw } from '../../lib/html.ts';
import { dirOf, LANGUAGE_NAMES, SUPPORTED } from '../../lib/i18n.ts';
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
import * as svc from './live.service.ts';
import { loadRoomState } from './live.state.ts';
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
      const room = await inTransaction(db, (trx) =>
        svc.ensureRoom(trx, req.actor, (req.params as { id: string }).id),
      );
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
      const perLang = (name: string, label: string, l: string, i: number, textarea = false) =>
        field(`${name}_${l}`, t(label, { language: byLang(l) }), {
          textarea,
          required: name === 'text' && i === 0,
          hint: i === 0 ? t('source_hint') : t('optional_hint'),
          attrs: html`lang="${l}" dir="${dirOf(l)}"`,
        });
      const body = html`<div id="live-root">
        <h1>${t('title', { title: state.sessionTitle })}</h1>
        <div class="links">
          <span>${t('join_code')} <b style="font-size:1.4rem;letter-spacing:.1em">${room.code}</b></span>
          <a href="${links.attendee}">${t('attendee_link')}: ${links.attendee.replace(/^https?:\/\//, '')}</a>
          <a href="${links.presenter}">${t('presenter_screen')}</a>
          <a href="${links.qr}"
            ><img src="${links.qr}" alt="${t('qr_alt', { url: links.attendee })}" width="128" height="128"
          /></a>
        </div>
        <p class="muted">${t('shortcuts')}</p>
        <p id="live-error" role="alert" class="error"></p>
        <div id="live-dyn">${consoleDyn(view, t)}</div>
        <details class="card">
          <summary>${t('add_prompt')}</summary>
          <form method="post" action="${act}">
            ${csrfField(req)}<input type="hidden" name="op" value="create" />
            ${field('type', t('field_type'), { options: PROMPT_TYPES.map((v) => ({ value: v, label: t(`type_${v}`) })) })}
            ${field('kind', t('field_kind'), { options: kinds.map((k) => ({ value: k, label: messages.lookup(lang, `kind_${k}`) ?? k.replace(/_/g, ' ') })) })}
            ${languages.map((l, i) => perLang('text', 'field_text', l, i))}
            ${languages.map((l, i) => perLang('choices', 'field_choices', l, i, true))}
            <label
              ><input type="checkbox" name="multiple" value="1" style="width:auto" /> ${t('field_multiple')}</label
            >
            <div class="row">
              ${field('min', t('field_min'), { type: 'number', value: 1 })}${field('max', t('field_max'), { type: 'number', value: 5 })}
            </div>
            ${languages.map((l, i) => perLang('minLabel', 'field_min_label', l, i))}
            ${languages.map((l, i) => perLang('maxLabel', 'field_max_label', l, i))}
            <label
              ><input type="checkbox" name="seriesLevel" value="1" style="width:auto" />
              ${t('field_series_level')}</label
            >
            <button type="submit">${t('add')}</button>
          </form>
        </details>
        <details class="card">
          <summary>${t('blocked_words', { count: words.length })}</summary>
          <form method="post" action="${act}">
            ${csrfField(req)}<input type="hidden" name="op" value="blocked" />${field(
              'words',
              t('blocked_hint'),
              {
                textarea: true,
                value: words.join('\n'),
              },
            )}<button type="submit">${t('save_blocked')}</button>
          </form>
        </details>
        <details class="card">
          <summary>${t('custom_kind')}</summary>
          <form method="post" action="${act}">
            ${csrfField(req)}<input type="hidden" name="op" value="kind" />${field('key', t('kind_key'), {
              required: true,
            })}${field('label', t('kind_label'), { required: true })}<button type="submit">${t('add_kind')}</button>
          </form>
        </details>
        <script type="application/json" id="console-data">
          ${raw(data)}
        </script>
      </div>`;
      return reply.type('text/html; charset=utf-8').send(
        page(
          req,
          {
            title: `Live · ${state.sessionTitle}`,
            lang,
            head: html`<style>
              ${raw(CONSOLE_CSS)}
            </style>`,
            scripts: ['/assets/console-live.js'],
          },
          body,
        ),
      );
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
      } else if (op === 'blocked')
        await inTransaction(db, (trx) =>
          svc.setBlockedWords(trx, req.actor, room.series_id, s('words').split(/\r?\n/)),
        );
      else if (op === 'kind')
        await svc.addKind(db, req.actor, room.series_id, s('key').trim().toLowerCase(), { en: s('label') });
      else if (op === 'create') {
        const input = promptFromForm(f);
        await inTransaction(db, (trx) => svc.createPrompt(trx, req.actor, room, input));
      } else throw new AppError(422, 'unknown_action', 'Unknown action.', 'op');
      const roomChanged = !answer && op !== 'blocked' && op !== 'kind';
      if (roomChanged) await live.changed(room.id);
      if (req.headers['x-requested-with'] === 'fetch') {
        const fresh = await repo.findRoomById(db, room.id);
        return reply.send({ state: fresh ? await loadRoomState(db, fresh) : null, answer: answer ?? null });
      }
      return reply.redirect(`/console/sessions/${room.session_id}/live`, 303);
    });
  };
}

/** Lines of a textarea, trimmed, empty lines dropped. */
const lines = (v: string | undefined) =>
  String(v ?? '')
    .split(/\r?\n/)
    .map((c) => c.trim())
    .filter(Boolean);

/**
 * Reads the "add a prompt" form: prompt text, choices and scale labels per language (fields named
 * `text_fr`, `choices_fr`, ...). Choice lines match by position across languages; every error is
 * reported with its field.
 */
export function promptFromForm(f: Record<string, string | undefined>): PromptInput {
  const s = (k: string) => String(f[k] ?? '').trim();
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
  const issues: { field: string; message: string }[] = [];
  for (const l of langs) {
    const n = lines(f[`choices_${l}`]).length;
    if (n && n !== count)
      issues.push({
        field: `choices_${l}`,
        message: `Give the same number of choices in every language (${n} here, ${count} in ${source}).`,
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
    for (const i of parsed.error.issues)
      issues.push({
        field: i.path[0] === 'text' ? `text_${langs[0] ?? 'en'}` : i.path.join('.'),
        message: i.path[0] === 'text' ? 'Write the prompt in at least one language.' : i.message,
      });
  if (issues.length || !parsed.success)
    throw new AppError(
      422,
      'invalid_prompt',
      `The prompt is not complete: ${issues.map((i) => i.message).join(' ')}`,
      issues[0]?.field,
    );
  return parsed.data;
}
