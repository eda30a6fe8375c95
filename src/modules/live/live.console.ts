import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { html, raw, type Html } from '../../lib/html.ts';
import { SUPPORTED } from '../../lib/i18n.ts';
import { inTransaction } from '../../server/tx.ts';
import { csrfField, field, page } from '../../server/layout.ts';
import { requireActor } from '../accounts/index.ts';
import type { PromptOut } from './live.events.ts';
import { messages } from './messages/index.ts';
import { localise, resultsHtml } from './live.render.ts';
import * as repo from './live.repository.ts';
import { resultsOf } from './live.results.ts';
import type { LiveRuntime } from './live.runtime.ts';
import { BUILTIN_KINDS, PROMPT_TYPES, PromptBody } from './live.schema.ts';
import * as svc from './live.service.ts';
import { loadRoomState } from './live.state.ts';

const TYPE_LABELS: Record<string, string> = {
  open_text: 'Open text',
  poll: 'Poll',
  word_cloud: 'Word cloud',
  scale: 'Scale',
  ranking: 'Ranking',
  qa: 'Q&A',
};

const btn = (
  req: FastifyRequest,
  action: string,
  fields: Record<string, string>,
  label: string,
  cls = 'secondary',
) =>
  html`<form method="post" action="${action}" class="inline" style="display:inline">
    ${csrfField(req)}${Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`)}<button
      type="submit"
      class="${cls}"
    >
      ${label}
    </button>
  </form>`;

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
      const t = messages.t('en');
      const act = `/console/live/${room.id}`;
      const kinds = [
        ...BUILTIN_KINDS,
        ...(
          await db.selectFrom('live_kind').select('key').where('series_id', '=', room.series_id).execute()
        ).map((k) => k.key),
      ];
      const current = state.prompts.find((p) => p.id === state.currentPromptId);
      const words = await repo.blockedWordsOf(db, room.series_id);
      const promptRow = (
        p: PromptOut,
      ) => html`<tr${p.id === state.currentPromptId ? raw(' aria-current="true" style="background:#fff8c5"') : ''}><td>${p.position}</td><td><span dir="auto">${localise(p.text, 'en')}</span><br><span class="badge">${TYPE_LABELS[p.type]}</span> ${p.kind ? html`<span class="badge">${p.kind.replace(/_/g, ' ')}</span>` : ''} ${p.seriesLevel ? html`<span class="badge">series-level</span>` : ''}</td>
<td>${p.status}${p.revealed ? ' · revealed' : ''}</td><td>${p.status !== 'open' ? btn(req, act, { op: 'open', promptId: p.id }, 'Open', '') : btn(req, act, { op: 'close', promptId: p.id }, 'Close')} ${p.revealed ? btn(req, act, { op: 'unreveal', promptId: p.id }, 'Hide results') : btn(req, act, { op: 'reveal', promptId: p.id }, 'Reveal results')} ${btn(req, act, { op: 'delete', promptId: p.id }, 'Remove')}</td></tr>`;
      let queue: Html = html``;
      let results: Html = html``;
      if (current) {
        const rows = (await repo.responsesOf(db, room.id, current.id, undefined, 200)).map(repo.answerOut);
        results = resultsHtml(
          current,
          resultsOf(
            current,
            rows.filter((a) => a.status !== 'hidden'),
          ),
          'en',
          t,
        );
        const order = { held: 0, visible: 1, hidden: 2 } as const;
        const list = [...rows]
          .sort((a, b) => order[a.status] - order[b.status])
          .filter((a) => a.text !== null)
          .slice(0, 100);
        queue = html`<h2>Moderation queue</h2>
          <p class="muted">${rows.filter((a) => a.status === 'held').length} held · ${rows.length} answers</p>
          <table>
            <thead>
              <tr>
                <th>Answer</th>
                <th>Status</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              ${list.map(
                (a) =>
                  html`<tr>
                    <td dir="auto">${a.text}</td>
                    <td>
                      ${a.status}${a.pinned ? ' · pinned' : ''}${a.answered ? ' · answered' : ''}${a.upvotes ? ` · ${a.upvotes} votes` : ''}
                    </td>
                    <td>
                      ${a.status !== 'visible' ? btn(req, act, { op: 'approve', responseId: a.id }, 'Approve', '') : ''}
                      ${a.status !== 'hidden' ? btn(req, act, { op: 'hide', responseId: a.id }, 'Hide') : ''}
                      ${a.pinned ? btn(req, act, { op: 'unpin', responseId: a.id }, 'Unpin') : btn(req, act, { op: 'pin', responseId: a.id }, 'Pin')}
                      ${current.type === 'qa' && !a.answered ? btn(req, act, { op: 'answered', responseId: a.id }, 'Mark answered') : ''}
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`;
      }
      const body = html`<div id="live-root" data-room="${room.id}" data-csrf="${req.csrfToken}">
        <h1>Live conversation: <span dir="auto">${state.sessionTitle}</span></h1>
        <div id="live-dyn">
          <p>
            Join code <b style="font-size:1.4rem;letter-spacing:.1em">${room.code}</b> ·
            <a href="/j/${room.code}">attendee page</a> ·
            <a href="/present/${room.code}">presenter screen</a> ·
            <span id="live-count" role="status">${current ? '' : 'No prompt is current.'}</span>
          </p>
          <div class="row">
            ${btn(req, act, { op: 'next' }, 'Next prompt ▶', '')}
            ${btn(req, act, { op: 'premod', on: state.preModeration ? '0' : '1' }, state.preModeration ? 'Pre-moderation is ON — turn off' : 'Pre-moderation is off — turn on')}
          </div>
          <h2>Prompts</h2>
          <table>
            <thead>
              <tr>
                <th>#</th>
                <th>Prompt</th>
                <th>Status</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              ${state.prompts.map(promptRow)}
            </tbody>
          </table>
          ${
            current
              ? html`<h2>Results: <span dir="auto">${localise(current.text, 'en')}</span></h2>
                  <div id="console-results">${results}</div>`
              : ''
          }
          ${queue}
        </div>
        <details class="card">
          <summary>Add a prompt</summary>
          <form method="post" action="${act}">
            ${csrfField(req)}<input type="hidden" name="op" value="create" />
            ${field('type', 'Type', { options: PROMPT_TYPES.map((v) => ({ value: v, label: TYPE_LABELS[v] })) })}
            ${field('kind', 'Kind (open text)', { options: kinds.map((k) => ({ value: k, label: k.replace(/_/g, ' ') })) })}
            ${field('text_en', 'Prompt (English)', { required: true })}
            ${SUPPORTED.filter((l) => l !== 'en').map((l) => field(`text_${l}`, `Prompt (${l})`, { hint: 'optional', attrs: html`lang="${l}" dir="auto"` }))}
            ${field('choices', 'Choices, one per line (poll, ranking)', { textarea: true })}
            <label
              ><input type="checkbox" name="multiple" value="1" style="width:auto" /> Poll: allow several
              choices</label
            >
            <div class="row">
              ${field('min', 'Scale from', { type: 'number', value: 1 })}${field('max', 'Scale to', { type: 'number', value: 5 })}${field('minLabel', 'Label of the lowest value')}${field('maxLabel', 'Label of the highest value')}
            </div>
            <label
              ><input type="checkbox" name="seriesLevel" value="1" style="width:auto" /> Series-level: ask it
              in every session of the series</label
            >
            <button type="submit">Add prompt</button>
          </form>
        </details>
        <details class="card">
          <summary>Blocked words of the series (${words.length})</summary>
          <form method="post" action="${act}">
            ${csrfField(req)}<input
              type="hidden"
              name="op"
              value="blocked"
            />${field('words', 'One word or phrase per line, any language. Answers containing them are held for review.', { textarea: true, value: words.join('\n') })}<button
              type="submit"
            >
              Save blocked words
            </button>
          </form>
        </details>
        <details class="card">
          <summary>Custom kind of open-text prompt</summary>
          <form method="post" action="${act}">
            ${csrfField(req)}<input
              type="hidden"
              name="op"
              value="kind"
            />${field('key', 'Key (a-z, 0-9, _)', { required: true })}${field('label', 'Label', { required: true })}<button
              type="submit"
            >
              Add kind
            </button>
          </form>
        </details>
      </div>`;
      return reply
        .type('text/html; charset=utf-8')
        .send(
          page(req, { title: `Live · ${state.sessionTitle}`, scripts: ['/assets/console-live.js'] }, body),
        );
    });

    // One form endpoint for every console action; scripts post the same forms with fetch.
    app.post('/console/live/:roomId', { schema: { hide: true } }, async (req, reply) => {
      const room = await svc.facilitatedRoom(db, req.actor, (req.params as { roomId: string }).roomId);
      const f = req.body as Record<string, string | undefined>;
      const s = (k: string) => String(f[k] ?? '');
      const op = s('op');
      if (['open', 'close', 'reveal', 'unreveal'].includes(op))
        await inTransaction(db, (trx) => svc.promptAction(trx, req.actor, room, s('promptId'), op as 'open'));
      else if (op === 'next') await inTransaction(db, (trx) => svc.nextPrompt(trx, req.actor, room));
      else if (op === 'delete') await svc.deletePrompt(db, req.actor, room, s('promptId'));
      else if (op === 'premod') await svc.setPreModeration(db, req.actor, room, s('on') === '1');
      else if (['approve', 'hide', 'pin', 'unpin', 'answered'].includes(op)) {
        const a = await svc.moderate(db, req.actor, room, s('responseId'), op as 'approve');
        live.hub.publish({ t: 'moderation', roomId: room.id, answers: [a] });
      } else if (op === 'blocked')
        await inTransaction(db, (trx) =>
          svc.setBlockedWords(trx, req.actor, room.series_id, s('words').split(/\r?\n/)),
        );
      else if (op === 'kind')
        await svc.addKind(db, req.actor, room.series_id, s('key').trim().toLowerCase(), { en: s('label') });
      else if (op === 'create') {
        const text: Record<string, string> = {};
        for (const l of SUPPORTED) if (s(`text_${l}`).trim()) text[l] = s(`text_${l}`).trim();
        const type = s('type');
        const parsed = PromptBody.safeParse({
          type,
          kind: type === 'open_text' ? s('kind') : null,
          text,
          choices: s('choices')
            .split(/\r?\n/)
            .map((c) => c.trim())
            .filter(Boolean)
            .map((c) => ({ text: { en: c } })),
          settings:
            type === 'scale'
              ? {
                  min: Number(s('min') || 1),
                  max: Number(s('max') || 5),
                  ...(s('minLabel') ? { minLabel: { en: s('minLabel') } } : {}),
                  ...(s('maxLabel') ? { maxLabel: { en: s('maxLabel') } } : {}),
                }
              : type === 'poll'
                ? { multiple: s('multiple') === '1' }
                : {},
          seriesLevel: s('seriesLevel') === '1',
        });
        if (!parsed.success)
          throw new AppError(
            422,
            'invalid_prompt',
            `The prompt is not complete: ${parsed.error.issues[0]?.message ?? ''}`,
          );
        await inTransaction(db, (trx) => svc.createPrompt(trx, req.actor, room, parsed.data));
      } else throw new AppError(422, 'unknown_action', 'Unknown action.');
      if (op !== 'blocked' && op !== 'kind') await live.changed(room.id);
      if (req.headers['x-requested-with'] === 'fetch') return reply.status(204).send();
      return reply.redirect(`/console/sessions/${room.session_id}/live`, 303);
    });
  };
}
