import { regionName } from '../series.labels.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../lib/errors.ts';
import { html } from '../../../lib/html.ts';
import { formAction, formAlert, parseForm, savedNotice, savedUrl, sendPage } from '../../../server/forms.ts';
import { csrfField, field, page } from '../../../server/layout.ts';
import {
  accountsSchema,
  canManageSeries,
  grantsInSeries,
  inviteIntoSeries,
  ROLES,
} from '../../accounts/index.ts';
import {
  consoleT,
  NAV_STYLE,
  one,
  savedMessages,
  seriesLoader,
  seriesNav,
  type Body,
  type Errors,
} from './common.ts';
import { messages, type ConsoleT } from './messages/index.ts';

/** How a role is named to a person (the key stays in the data). */
const roleLabel = (t: ConsoleT, role: string) => messages.lookup(t.lang, `role.${role}`) ?? role;

/** Who holds which role in a series, and the invitation form (coordinators only). */
export async function teamPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const { actorOf, detailFor } = seriesLoader(app);

  const teamPage = async (req: FastifyRequest, id: string, errors: Errors = {}, v?: Body) => {
    const actor = actorOf(req);
    const t = consoleT(req);
    const d = await detailFor(req, id);
    if (!canManageSeries(actor, d.id))
      throw new AppError(403, 'forbidden', 'Only coordinators manage the team of a series.');
    const roles = await grantsInSeries(db, d.id);
    const regionOf = (id: string | null) => {
      const r = id ? d.regions.find((x) => x.id === id) : undefined;
      return r ? regionName(r, t.lang) : null;
    };
    return page(
      req,
      { title: `${t('team.title')} · ${d.title}`, head: NAV_STYLE },
      html`${seriesNav(actor, d, 'team', t.lang)}
        <h1>${t('team.title')}</h1>
        ${savedNotice(req, savedMessages(t))}
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>${t('team.person')}</th>
                <th>${t('f.role')}</th>
                <th>${t('f.region')}</th>
              </tr>
            </thead>
            <tbody>
              ${roles.map(
                (g) =>
                  html`<tr>
                    <td>${g.name} <span class="muted">${g.email}</span></td>
                    <td>${roleLabel(t, g.role)}</td>
                    <td>${regionOf(g.region_id) ?? g.region_name ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
        ${roles.length < 2 ? html`<p>${t('team.alone')}</p>` : ''}
        <h2 id="invite">${t('team.invite')}</h2>
        ${formAlert(
          errors,
          {
            email: { id: 'i-email', label: t('f.email') },
            role: { id: 'i-role', label: t('f.role') },
            regionKey: { id: 'i-region', label: t('f.region') },
          },
          t('fixThese'),
        )}
        <form method="post" action="/console/series/${d.id}/invite" novalidate>
          ${csrfField(req)}
          <div class="row">
            ${field('email', t('f.email'), { id: 'i-email', type: 'email', errors, value: v ? one(v.email) : '', required: true })}
            ${field('role', t('f.role'), { id: 'i-role', errors, value: v ? one(v.role) : '', options: ROLES.map((r) => ({ value: r, label: roleLabel(t, r) })) })}
            ${field('regionKey', t('f.region'), { id: 'i-region', errors, value: v ? one(v.regionKey) : '', hint: t('team.region.hint'), options: [{ value: '', label: t('team.wholeSeries') }, ...d.regions.map((r) => ({ value: r.key, label: regionName(r, t.lang) }))] })}
          </div>
          <button type="submit">${t('team.inviteBtn')}</button>
        </form>`,
    );
  };

  app.get('/console/series/:id/team', { schema: { hide: true } }, async (req, reply) =>
    sendPage(reply, await teamPage(req, (req.params as { id: string }).id)),
  );

  app.post('/console/series/:id/invite', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const b = (req.body ?? {}) as Body;
    return formAction(
      reply,
      async () => {
        const input = parseForm(accountsSchema.InviteBody, {
          email: one(b.email),
          role: one(b.role),
          regionKey: one(b.regionKey) || null,
        });
        await inviteIntoSeries(db, app.ctx.mailer, app.ctx.config.publicUrl, req.actor, id, input);
        return savedUrl(`/console/series/${id}/team`, 'invite');
      },
      (e) => teamPage(req, id, e, b),
    );
  });
}
