// Codebook editor: create, rename and describe (with seed terms per language), merge, split.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html } from '../../lib/html.ts';
import { toAppError } from '../../server/errors.ts';
import { csrfField, field } from '../../server/layout.ts';
import { inTransaction } from '../../server/tx.ts';
import { allThemes, ensureState } from './workbench.repository.ts';
import { canCode, codableSeries, codebookEdits, formatTerms, viewableSeries } from './workbench.service.ts';
import { sendHtml, wbPage, wbPath } from './workbench.view.ts';

type Body = Record<string, string | undefined>;

/** The codebook page and its forms (one form per action; each bumps the codebook version). */
export async function codebookPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;

  const render = async (
    req: FastifyRequest,
    id: string,
    notice?: string,
    errors: Record<string, string> = {},
    v: Body = {},
  ): Promise<string> => {
    const s = await viewableSeries(db, req.actor, id);
    const state = await inTransaction(db, (trx) => ensureState(trx, s.id));
    const themes = await allThemes(db, s.id);
    const active = themes.filter((t) => !t.merged_into);
    const coder = canCode(req.actor, s.id);
    const opts = active.map((t) => ({ value: t.key, label: t.label }));
    const err = (section: string) => (v.action === section ? errors : {});
    return wbPage(
      req,
      s,
      '/codebook',
      'Codebook',
      html`
        ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}${errors._form ? html`<p class="alert" role="alert">${errors._form}</p>` : ''}
        <p>
          Version ${state.codebook_version}, ${active.length} themes. It started from the engine's default
          codebook; every change retrains the engine.
        </p>
        <table>
          <caption class="vh">
            Themes
          </caption>
          <thead>
            <tr>
              <th scope="col">Theme</th>
              <th scope="col">Short name</th>
              <th scope="col">Description</th>
              <th scope="col">Seed terms</th>
            </tr>
          </thead>
          <tbody>
            ${active.map(
              (t) =>
                html`<tr>
                  <th scope="row">
                    ${t.label}${t.parent_key ? html` <span class="badge">under ${t.parent_key}</span>` : ''}
                  </th>
                  <td><code>${t.key}</code></td>
                  <td>${t.description}</td>
                  <td>
                    ${formatTerms(JSON.parse(t.terms) as { text: string; lang?: string }[])
                      .split('\n')
                      .map((l) => html`${l}<br />`)}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${
          themes.some((t) => t.merged_into)
            ? html`<p class="hint">
                Merged:
                ${themes
                  .filter((t) => t.merged_into)
                  .map((t) => `${t.label} → ${t.merged_into}`)
                  .join(', ')}
              </p>`
            : ''
        }
        ${
          coder
            ? html` <h2 id="edit">Rename or describe a theme</h2>
                <form method="post" action="${wbPath(s.id)}/codebook" novalidate>
                  ${csrfField(req)}<input type="hidden" name="action" value="update" />
                  ${field('key', 'Theme', { id: 'e-key', options: opts, value: v.action === 'update' ? v.key : '', errors: err('update') })}
                  ${field('label', 'New name', { id: 'e-label', value: v.action === 'update' ? v.label : '', errors: err('update'), required: true })}
                  ${field('description', 'Description', { id: 'e-description', textarea: true, value: v.action === 'update' ? v.description : '', errors: err('update') })}
                  ${field('terms', 'Seed terms', { id: 'e-terms', textarea: true, value: v.action === 'update' ? v.terms : '', errors: err('update'), hint: 'one language per line, e.g. "en: mentor, mentoring"; leave empty to keep none' })}
                  <button type="submit">Save theme</button>
                </form>
                <h2 id="create">New theme</h2>
                <form method="post" action="${wbPath(s.id)}/codebook" novalidate>
                  ${csrfField(req)}<input type="hidden" name="action" value="create" />
                  <div class="row">
                    ${field('label', 'Name', { id: 'c-label', value: v.action === 'create' ? v.label : '', errors: err('create'), required: true })}${field('key', 'Short name', { id: 'c-key', value: v.action === 'create' ? v.key : '', errors: err('create'), hint: 'optional' })}
                  </div>
                  ${field('parent', 'Under', { id: 'c-parent', options: [{ value: '', label: '(top level)' }, ...opts], errors: err('create') })}
                  ${field('description', 'Description', { id: 'c-description', textarea: true, value: v.action === 'create' ? v.description : '' })}
                  ${field('terms', 'Seed terms', { id: 'c-terms', textarea: true, value: v.action === 'create' ? v.terms : '', hint: 'e.g. "en: job shadowing\nes: acompañamiento"' })}
                  <button type="submit">Create theme</button>
                </form>
                <h2 id="merge">Merge two themes</h2>
                <form method="post" action="${wbPath(s.id)}/codebook" novalidate>
                  ${csrfField(req)}<input type="hidden" name="action" value="merge" />
                  <div class="row">
                    ${field('from', 'Merge', { id: 'm-from', options: opts, errors: err('merge') })}${field('into', 'into', { id: 'm-into', options: opts, errors: err('merge') })}
                  </div>
                  <button type="submit">Merge</button>
                </form>
                <h2 id="split">Split a theme</h2>
                <form method="post" action="${wbPath(s.id)}/codebook" novalidate>
                  ${csrfField(req)}<input type="hidden" name="action" value="split" />
                  <div class="row">
                    ${field('from', 'Split off from', { id: 's-from', options: opts, errors: err('split') })}${field('label', 'New theme name', { id: 's-label', value: v.action === 'split' ? v.label : '', errors: err('split'), required: true })}
                  </div>
                  ${field('terms', 'Seed terms that move to the new theme', { id: 's-terms', textarea: true, value: v.action === 'split' ? v.terms : '', errors: err('split') })}
                  <button type="submit">Split</button>
                </form>`
            : ''
        }
      `,
    );
  };

  app.get('/console/series/:id/workbench/codebook', { schema: { hide: true } }, async (req, reply) =>
    sendHtml(reply, await render(req, (req.params as { id: string }).id)),
  );

  app.post('/console/series/:id/workbench/codebook', { schema: { hide: true } }, async (req, reply) => {
    const s = await codableSeries(db, req.actor, (req.params as { id: string }).id);
    const b = (req.body ?? {}) as Body;
    try {
      const notice = await inTransaction(db, async (trx) => {
        if (b.action === 'create')
          return `Created ${await codebookEdits.create(trx, s.id, { label: b.label ?? '', key: b.key, description: b.description, terms: b.terms, parent: b.parent })}.`;
        if (b.action === 'update')
          return (
            await codebookEdits.update(trx, s.id, b.key ?? '', {
              label: b.label ?? '',
              description: b.description ?? '',
              terms: b.terms ?? '',
            }),
            'Theme saved.'
          );
        if (b.action === 'merge')
          return (await codebookEdits.merge(trx, s.id, b.from ?? '', b.into ?? ''), 'Themes merged.');
        if (b.action === 'split')
          return `Split off ${await codebookEdits.split(trx, s.id, b.from ?? '', { label: b.label ?? '', terms: b.terms ?? '' })}.`;
        return 'Nothing to do.';
      });
      return sendHtml(
        reply,
        await render(req, s.id, `${notice} The engine will retrain with the new codebook.`),
      );
    } catch (e) {
      const err = toAppError(e);
      if (err.status >= 500 || err.status === 401 || err.status === 403) throw e;
      return sendHtml(
        reply,
        await render(req, s.id, undefined, { [err.field ?? '_form']: err.message }, b),
        err.status,
      );
    }
  });
}
