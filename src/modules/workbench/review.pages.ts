// Review queue: one form per unit, ordered by what teaches the engine most; keys a/r/1–9/n with JS.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html, raw } from '../../lib/html.ts';
import { toAppError } from '../../server/errors.ts';
import { csrfField } from '../../server/layout.ts';
import { inTransaction } from '../../server/tx.ts';
import { workbenchLabels } from './labels.ts';
import { messages } from './messages/index.ts';
import { jobBanner } from './workbench.pages.ts';
import {
  canCode,
  codableSeries,
  engineToRead,
  learnFromDecision,
  recordDecision,
  reviewQueue,
  viewableSeries,
} from './workbench.service.ts';
import { DecisionBody, parseInput } from './workbench.schema.ts';
import { pct, sendHtml, wbPage, wbPath } from './workbench.view.ts';

const QUEUE = 10;

/** The review queue page and its decision form. */
export async function reviewPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const log = (e: unknown) => app.log.error({ err: e }, 'workbench job failed');

  const render = async (
    req: FastifyRequest,
    id: string,
    notice?: string,
    error?: string,
  ): Promise<string> => {
    const s = await viewableSeries(db, req.actor, id);
    const t = messages.t(req.lang);
    // GET reads only: the engine comes from this process or its saved state; coding starts with a POST.
    const { engine, loading, status } = await engineToRead(db, s.id, log);
    if (!engine) {
      const { banner, head } = await jobBanner(app, s.id, req.lang, { req, back: '/review' });
      const refresh = head ?? (loading ? html`<meta http-equiv="refresh" content="3" />` : undefined);
      return wbPage(
        req,
        s,
        '/review',
        t('review.title'),
        html`${banner}${loading ? html`<p class="notice" role="status">${t('coding.loading')}</p>` : ''}${status.units ? '' : html`<p>${t('review.empty')}</p>`}`,
        refresh ? { head: refresh } : {},
      );
    }
    const coder = canCode(req.actor, s.id);
    const queue = await reviewQueue(db, engine, QUEUE);
    const themes = engine.coder.codebook.themes;
    const labels = await workbenchLabels(db, s.id, req.lang);
    const label = new Map(themes.map((t) => [t.id, labels.theme(t.id)]));
    return wbPage(
      req,
      s,
      '/review',
      t('review.title'),
      html` ${notice ? html`<p class="notice" role="status" id="review-status">${notice}</p>` : ''}${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
        <p>
          ${
            engine.lastRecodeMs
              ? t('review.introTimed', {
                  examples: engine.coder.exampleCount(),
                  count: engine.ids.length,
                  ms: engine.lastRecodeMs.toFixed(1),
                })
              : t('review.intro', { examples: engine.coder.exampleCount() })
          }
        </p>
        <p class="hint" id="keys-help">
          ${t('review.keys.label')} <kbd>a</kbd> ${t('review.keys.accept')}, <kbd>r</kbd> ${t('review.keys.reject')},
          <kbd>1</kbd>–<kbd>9</kbd> ${t('review.keys.theme')}, <kbd>n</kbd> ${t('review.keys.next')}.
          ${t('review.keys.select')}
        </p>
        ${queue.length === 0 ? html`<p>${t('review.empty')}</p>` : ''}
        <ol class="queue" aria-label="${t('review.list')}">
          ${queue.map((q, i) => {
            const others = q.codings.map((c) => c.themeKey).filter((k) => k !== q.themeKey);
            const order = [
              q.themeKey,
              ...others,
              ...themes.map((t) => t.id).filter((k) => k !== q.themeKey && !others.includes(k)),
            ];
            const fid = `u-${q.item.id}`;
            return html`<li id="${fid}" class="${i === 0 ? 'current' : ''}" data-unit>
              <form
                method="post"
                action="${wbPath(s.id)}/review/${q.item.id}"
                class="review-form"
                aria-labelledby="${fid}-h"
              >
                ${csrfField(req)}
                <h2 id="${fid}-h" class="vh">${t('review.response', { n: i + 1 })}</h2>
                <blockquote
                  class="unit-text"
                  data-text
                  data-user-content
                  ${q.item.language ? html`lang="${q.item.language}"` : ''}
                >
                  ${q.item.text}
                </blockquote>
                <p class="meta">
                  ${q.item.region ? html`<span data-user-content>${labels.region(q.item.region)}</span>` : t('region.none')} ·
                  ${labels.kind(q.item.prompt_kind ?? 'all')} ·
                  <span data-user-content
                    >${q.item.language ?? ''}${q.item.career_stage ? ` · ${q.item.career_stage}` : ''}${q.item.session ? ` · ${q.item.session}` : ''}</span
                  >
                </p>
                <p>
                  ${q.engineSays ? t('review.applies') : t('review.notApplies')}
                  <strong data-user-content>${label.get(q.themeKey) ?? q.themeKey}</strong>
                  ${t('review.likely', { p: pct(q.probability, req.lang) })}${q.codings.length ? html`${t('review.codes')} ${q.codings.map((c) => html`<span class="pill" data-user-content>${label.get(c.themeKey) ?? c.themeKey} ${pct(c.confidence, req.lang)}</span>`)}` : t('review.noTheme')}
                </p>
                ${
                  coder
                    ? html` <div class="actions">
                          <div>
                            <label for="${fid}-theme">${t('review.theme')}</label>
                            <select id="${fid}-theme" name="themeKey" data-theme>
                              ${order.map((k, n) => html`<option data-user-content value="${k}" ${n === 0 ? raw('selected') : ''}>${n < 9 ? `${n + 1}. ` : ''}${label.get(k) ?? k}</option>`)}
                            </select>
                          </div>
                          <input type="hidden" name="start" value="" data-start /><input
                            type="hidden"
                            name="end"
                            value=""
                            data-end
                          />
                          <button type="submit" name="decision" value="accept" data-accept>${t('review.accept')}</button>
                          <button type="submit" name="decision" value="reject" class="secondary" data-reject>
                            ${t('review.reject')}
                          </button>
                        </div>
                        <p class="hint" data-span-note aria-live="polite"></p>`
                    : ''
                }
              </form>
            </li>`;
          })}
        </ol>`,
      { scripts: coder ? ['/assets/workbench.js'] : [] },
    );
  };

  app.get('/console/series/:id/workbench/review', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as { changed?: string; ms?: string };
    const notice =
      q.changed !== undefined
        ? messages.t(req.lang)('review.saved', {
            count: Number(q.changed) || 0,
            ms: Number(q.ms ?? 0).toFixed(1),
          })
        : undefined;
    return sendHtml(reply, await render(req, (req.params as { id: string }).id, notice));
  });

  app.post('/console/series/:id/workbench/review/:itemId', { schema: { hide: true } }, async (req, reply) => {
    const { id, itemId } = req.params as { id: string; itemId: string };
    const s = await codableSeries(db, req.actor, id);
    try {
      const d = parseInput(DecisionBody, req.body);
      const example = await inTransaction(db, (trx) => recordDecision(trx, req.actor, s.id, itemId, d));
      const learnt = await learnFromDecision(db, s.id, example, log);
      return reply.redirect(
        `${wbPath(s.id)}/review?changed=${learnt?.changed ?? 0}&ms=${(learnt?.recodeMs ?? 0).toFixed(1)}`,
        303,
      );
    } catch (e) {
      const err = toAppError(e);
      if (err.status >= 500 || err.status === 401 || err.status === 403) throw e;
      return sendHtml(reply, await render(req, s.id, undefined, err.message), err.status);
    }
  });
}
