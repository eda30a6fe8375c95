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
import { NAV_STYLE, one, SAVED, seriesLoader, seriesNav, type Body, type Errors } from './common.ts';

/** How a role is named to a person (the key stays in the data). */
const ROLE_LABELS: Record<string, string> = {
  coordinator: 'Coordinator',
  co_organiser: 'Co-organiser (one region)',
  facilitator: 'Facilitator',
  presenter: 'Presenter',
};

/** Who holds which role in a series, and the invitation form (coordinators only). */
export async function teamPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const { actorOf, detailFor } = seriesLoader(app);

  const teamPage = async (req: FastifyRequest, id: string, errors: Errors = {}, v?: Body) => {
    const actor = actorOf(req);
    const d = await detailFor(req, id);
    if (!canManageSeries(actor, d.id))
      throw new AppError(403, 'forbidden', 'Only coordinators manage the team of a series.');
    const roles = await grantsInSeries(db, d.id);
    return page(
      req,
      { title: `Team and roles · ${d.title}`, head: NAV_STYLE },
      html`${seriesNav(actor, d, 'team')}
        <h1>Team and roles</h1>
        ${savedNotice(req, SAVED)}
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Person</th>
                <th>Role</th>
                <th>Region</th>
              </tr>
            </thead>
            <tbody>
              ${roles.map(
                (g) =>
                  html`<tr>
                    <td>${g.name} <span class="muted">${g.email}</span></td>
                    <td>${ROLE_LABELS[g.role] ?? g.role}</td>
                    <td>${g.region_name ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
        ${
          roles.length < 2
            ? html`<p>
              Only you so far. Invite the co-organiser of each region, the facilitators who run the live
              sessions and the presenters: they get an e-mail with a link to accept.
            </p>`
            : ''
        }
        <h2 id="invite">Invite someone</h2>
        ${formAlert(errors, {
          email: { id: 'i-email', label: 'E-mail' },
          role: { id: 'i-role', label: 'Role' },
          regionKey: { id: 'i-region', label: 'Region' },
        })}
        <form method="post" action="/console/series/${d.id}/invite" novalidate>
          ${csrfField(req)}
          <div class="row">
            ${field('email', 'E-mail', { id: 'i-email', type: 'email', errors, value: v ? one(v.email) : '', required: true })}
            ${field('role', 'Role', { id: 'i-role', errors, value: v ? one(v.role) : '', options: ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] ?? r })) })}
            ${field('regionKey', 'Region', { id: 'i-region', errors, value: v ? one(v.regionKey) : '', hint: 'needed for a co-organiser', options: [{ value: '', label: '(whole series)' }, ...d.regions.map((r) => ({ value: r.key, label: r.name }))] })}
          </div>
          <button type="submit">Invite</button>
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
