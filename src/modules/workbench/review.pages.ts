// Review queue: one form per unit, ordered by what teaches the engine most; keys a/r/1–9/n with JS.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html, raw } from '../../lib/html.ts';
import { toAppError } from '../../server/errors.ts';
import { csrfField } from '../../server/layout.ts';
import { inTransaction } from '../../server/tx.ts';
import { kindLabel, workbenchLabels } from './labels.ts';
import { jobBanner } from './workbench.pages.ts';
import {
  canCode,
  codableSeries,
  engineFor,
  learnFromDecision,
  openWorkbench,
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
    await inTransaction(db, (trx) => openWorkbench(trx, s.id));
    const { engine, jobId } = await engineFor(db, s.id, log);
    if (!engine) {
      const { banner, head } = await jobBanner(app, s.id);
      return wbPage(
        req,
        s,
        '/review',
        'Review',
        html`${banner}${jobId && !head ? html`<p class="notice" role="status">The engine is coding this series; this page refreshes itself.</p>` : ''}`,
        { head: head ?? html`<meta http-equiv="refresh" content="3" />` },
      );
    }
    const coder = canCode(req.actor, s.id);
    const queue = await reviewQueue(db, engine, QUEUE);
    const themes = engine.coder.codebook.themes;
    const label = new Map(themes.map((t) => [t.id, t.label]));
    const labels = await workbenchLabels(db, s.id);
    return wbPage(
      req,
      s,
      '/review',
      'Review',
      html` ${notice ? html`<p class="notice" role="status" id="review-status">${notice}</p>` : ''}${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
        <p>
          Responses the engine would learn most from, first. Each decision retrains the engine at once (it has
          learnt from ${engine.coder.exampleCount()}
          examples${engine.lastRecodeMs ? `; the last re-coding of ${engine.ids.length} responses took ${engine.lastRecodeMs.toFixed(1)} ms` : ''}).
        </p>
        <p class="hint" id="keys-help">
          Keys: <kbd>a</kbd> accept, <kbd>r</kbd> reject, <kbd>1</kbd>–<kbd>9</kbd> choose a theme,
          <kbd>n</kbd> next response. Select words in a response to code only that passage.
        </p>
        ${queue.length === 0 ? html`<p>Nothing left to review: every response has a decision.</p>` : ''}
        <ol class="queue" aria-label="Responses to review">
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
                <h2 id="${fid}-h" class="vh">Response ${i + 1}</h2>
                <blockquote
                  class="unit-text"
                  data-text
                  ${q.item.language ? html`lang="${q.item.language}"` : ''}
                >
                  ${q.item.text}
                </blockquote>
                <p class="meta">
                  ${q.item.region ? labels.region(q.item.region) : 'No region'} · ${kindLabel(q.item.prompt_kind ?? 'all')} ·
                  ${q.item.language ?? ''}${q.item.career_stage ? ` · ${q.item.career_stage}` : ''}${q.item.session ? ` · ${q.item.session}` : ''}
                </p>
                <p>
                  The engine ${q.engineSays ? 'applies' : 'does not apply'}
                  <strong>${label.get(q.themeKey) ?? q.themeKey}</strong> (${pct(q.probability)}
                  likely)${q.codings.length ? html`; its codes: ${q.codings.map((c) => html`<span class="pill">${label.get(c.themeKey) ?? c.themeKey} ${pct(c.confidence)}</span>`)}` : '; it applies no theme'}.
                </p>
                ${
                  coder
                    ? html` <div class="actions">
                          <div>
                            <label for="${fid}-theme">Theme</label>
                            <select id="${fid}-theme" name="themeKey" data-theme>
                              ${order.map((k, n) => html`<option value="${k}" ${n === 0 ? raw('selected') : ''}>${n < 9 ? `${n + 1}. ` : ''}${label.get(k) ?? k}</option>`)}
                            </select>
                          </div>
                          <input type="hidden" name="start" value="" data-start /><input
                            type="hidden"
                            name="end"
                            value=""
                            data-end
                          />
                          <button type="submit" name="decision" value="accept" data-accept>Accept</button>
                          <button type="submit" name="decision" value="reject" class="secondary" data-reject>
                            Reject
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
        ? `Saved. The engine retrained and re-coded the series: ${Number(q.changed) || 0} responses changed (${Number(q.ms ?? 0).toFixed(1)} ms).`
        : undefined;
    return sendHtml(reply, await render(req, (req.params as { id: string }).id, notice));
  });

  app.post('/console/series/:id/workbench/review/:itemId', { schema: { hide: true } }, async (req, reply) => {
    const { id, itemId } = req.params as { id: string; itemId: string };
    const s = await codableSeries(db, req.actor, id);
    try {
      const d = parseInput(DecisionBody, req.body);
      const example = await inTransaction(db, (trx) => recordDecision(trx, req.actor, s.id, itemId, d));
      const learnt = await learnFromDecision(db, s.id, example);
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
