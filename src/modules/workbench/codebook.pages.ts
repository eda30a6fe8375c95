// Codebook editor: create, rename and describe (with seed terms per language), merge, split.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html } from '../../lib/html.ts';
import { toAppError } from '../../server/errors.ts';
import { csrfField, field } from '../../server/layout.ts';
import { inTransaction } from '../../server/tx.ts';
import { translationMessages } from '../../server/forms.i18n.ts';
import { themeTranslationForm, themeTranslationsFromForm } from './codebook.i18n.ts';
import { messages } from './messages/index.ts';
import { allThemes, readState } from './workbench.repository.ts';
import {
  canCode,
  codableSeries,
  codebookEdits,
  ensureFreshLabels,
  formatTerms,
  viewableSeries,
} from './workbench.service.ts';
import { sendHtml, wbPage, wbPath } from './workbench.view.ts';

type Body = Record<string, string | undefined>;

/** The codebook page and its forms (one form per action; each bumps the codebook version). */
export async function codebookPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const log = (e: unknown) => app.log.error({ err: e }, 'workbench job failed');

  const render = async (
    req: FastifyRequest,
    id: string,
    notice?: string,
    errors: Record<string, string> = {},
    v: Body = {},
  ): Promise<string> => {
    const s = await viewableSeries(db, req.actor, id);
    const t = messages.t(req.lang);
    const state = await readState(db, s.id);
    const themes = await allThemes(db, s.id);
    const active = themes.filter((t) => !t.merged_into);
    const coder = canCode(req.actor, s.id);
    const opts = active.map((th) => ({ value: th.key, label: th.label }));
    const labelOf = new Map(themes.map((th) => [th.key, th.label]));
    const err = (section: string) => (v.action === section ? errors : {});
    return wbPage(
      req,
      s,
      '/codebook',
      t('codebook.title'),
      html`
        ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}${errors._form ? html`<p class="alert" role="alert">${errors._form}</p>` : ''}
        <p>${t('codebook.intro', { version: state.codebook_version, count: active.length })}</p>
        <table>
          <caption class="vh">
            ${t('codebook.caption')}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('codebook.f.theme')}</th>
              <th scope="col">${t('codebook.col.key')}</th>
              <th scope="col">${t('codebook.col.description')}</th>
              <th scope="col">${t('codebook.col.terms')}</th>
            </tr>
          </thead>
          <tbody>
            ${active.map(
              (th) =>
                html`<tr>
                  <th scope="row">
                    <span data-user-content>${th.label}</span>${
                      th.parent_key
                        ? html` <span class="badge"
                          >${t('codebook.under')}
                          <span data-user-content>${labelOf.get(th.parent_key) ?? th.parent_key}</span></span
                        >`
                        : ''
                    }
                  </th>
                  <td data-user-content><code>${th.key}</code></td>
                  <td data-user-content>${th.description}</td>
                  <td data-user-content>
                    ${formatTerms(JSON.parse(th.terms) as { text: string; lang?: string }[])
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
                ${t('codebook.merged')}
                <span data-user-content
                  >${themes
                    .filter((th) => th.merged_into)
                    .map((th) => `${th.label} → ${labelOf.get(th.merged_into!) ?? th.merged_into}`)
                    .join(', ')}</span
                >
              </p>`
            : ''
        }
        ${
          coder
            ? html` <h2 id="edit">${t('codebook.edit')}</h2>
                <form method="post" action="${wbPath(s.id)}/codebook" novalidate>
                  ${csrfField(req)}<input type="hidden" name="action" value="update" />
                  ${field('key', t('codebook.f.theme'), { id: 'e-key', options: opts, value: v.action === 'update' ? v.key : '', errors: err('update') })}
                  ${field('label', t('codebook.f.newName'), { id: 'e-label', value: v.action === 'update' ? v.label : '', errors: err('update'), required: true })}
                  ${field('description', t('codebook.col.description'), { id: 'e-description', textarea: true, value: v.action === 'update' ? v.description : '', errors: err('update') })}
                  ${field('terms', t('codebook.col.terms'), { id: 'e-terms', textarea: true, value: v.action === 'update' ? v.terms : '', errors: err('update'), hint: t('codebook.f.termsHint') })}
                  <button type="submit">${t('codebook.save')}</button>
                </form>
                ${themeTranslationForm(req, s, active, err('translate'), v)}
                <h2 id="create">${t('codebook.create')}</h2>
                <form method="post" action="${wbPath(s.id)}/codebook" novalidate>
                  ${csrfField(req)}<input type="hidden" name="action" value="create" />
                  <div class="row">
                    ${field('label', t('codebook.f.name'), { id: 'c-label', value: v.action === 'create' ? v.label : '', errors: err('create'), required: true })}${field('key', t('codebook.col.key'), { id: 'c-key', value: v.action === 'create' ? v.key : '', errors: err('create'), hint: t('codebook.f.optional') })}
                  </div>
                  ${field('parent', t('codebook.f.under'), { id: 'c-parent', options: [{ value: '', label: t('codebook.f.topLevel') }, ...opts], errors: err('create') })}
                  ${field('description', t('codebook.col.description'), { id: 'c-description', textarea: true, value: v.action === 'create' ? v.description : '' })}
                  ${field('terms', t('codebook.col.terms'), { id: 'c-terms', textarea: true, value: v.action === 'create' ? v.terms : '', hint: t('codebook.f.termsExample') })}
                  <button type="submit">${t('codebook.createBtn')}</button>
                </form>
                <h2 id="merge">${t('codebook.merge')}</h2>
                <form method="post" action="${wbPath(s.id)}/codebook" novalidate>
                  ${csrfField(req)}<input type="hidden" name="action" value="merge" />
                  <div class="row">
                    ${field('from', t('codebook.f.merge'), { id: 'm-from', options: opts, errors: err('merge') })}${field('into', t('codebook.f.into'), { id: 'm-into', options: opts, errors: err('merge') })}
                  </div>
                  <button type="submit">${t('codebook.mergeBtn')}</button>
                </form>
                <h2 id="split">${t('codebook.split')}</h2>
                <form method="post" action="${wbPath(s.id)}/codebook" novalidate>
                  ${csrfField(req)}<input type="hidden" name="action" value="split" />
                  <div class="row">
                    ${field('from', t('codebook.f.splitFrom'), { id: 's-from', options: opts, errors: err('split') })}${field('label', t('codebook.f.newThemeName'), { id: 's-label', value: v.action === 'split' ? v.label : '', errors: err('split'), required: true })}
                  </div>
                  ${field('terms', t('codebook.f.splitTerms'), { id: 's-terms', textarea: true, value: v.action === 'split' ? v.terms : '', errors: err('split') })}
                  <button type="submit">${t('codebook.splitBtn')}</button>
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
    const t = messages.t(req.lang);
    try {
      if (b.action === 'translate') {
        const input = themeTranslationsFromForm(b, s.languages);
        await inTransaction(db, (trx) => codebookEdits.translate(trx, s.id, b.key ?? '', input));
        return sendHtml(reply, await render(req, s.id, translationMessages.t(req.lang)('tr.saved'), {}, b));
      }
      const notice = await inTransaction(db, async (trx) => {
        if (b.action === 'create')
          return t('codebook.n.created', {
            name: await codebookEdits.create(trx, s.id, {
              label: b.label ?? '',
              key: b.key,
              description: b.description,
              terms: b.terms,
              parent: b.parent,
            }),
          });
        if (b.action === 'update')
          return (
            await codebookEdits.update(trx, s.id, b.key ?? '', {
              label: b.label ?? '',
              description: b.description ?? '',
              terms: b.terms ?? '',
            }),
            t('codebook.n.saved')
          );
        if (b.action === 'merge')
          return (await codebookEdits.merge(trx, s.id, b.from ?? '', b.into ?? ''), t('codebook.n.merged'));
        if (b.action === 'split')
          return t('codebook.n.split', {
            name: await codebookEdits.split(trx, s.id, b.from ?? '', {
              label: b.label ?? '',
              terms: b.terms ?? '',
            }),
          });
        return t('codebook.n.nothing');
      });
      // The units are coded again with the new codebook (now for small series, else as a background job).
      await ensureFreshLabels(db, s.id, log);
      return sendHtml(reply, await render(req, s.id, `${notice} ${t('codebook.n.retrain')}`));
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
