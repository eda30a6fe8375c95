import type { FastifyInstance } from 'fastify';
import { html } from '../../../lib/html.ts';
import { utcToZonedLocal } from '../../../lib/time.ts';
import { sendPage } from '../../../server/forms.ts';
import { page } from '../../../server/layout.ts';
import { liveLinksOf } from './live-links.ts';
import { NAV_STYLE, seriesLoader, seriesNav } from './common.ts';

/** The live section: each session's live room, presenter screen, attendee link and QR code. */
export async function liveSectionPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const { actorOf, detailFor } = seriesLoader(app);

  app.get('/console/series/:id/live', { schema: { hide: true } }, async (req, reply) => {
    const actor = actorOf(req);
    const d = await detailFor(req, (req.params as { id: string }).id);
    const links = await liveLinksOf(
      db,
      app.ctx.config.publicUrl,
      d.sessions.map((s) => s.id),
    );
    return sendPage(
      reply,
      page(
        req,
        { title: `Live · ${d.title}`, head: NAV_STYLE },
        html`${seriesNav(actor, d, 'live')}
          <h1>Live</h1>
          <p>
            The facilitator runs each session from its live room; the presenter screen goes on the shared
            screen; attendees join with the link or by scanning the QR code.
          </p>
          ${
            d.sessions.length
              ? html`<ul class="sessions">
                ${d.sessions.map((s) => {
                  const l = links.get(s.id);
                  return html`<li class="card">
                    <h2 style="margin-top:0;font-size:1.15rem">${s.title}</h2>
                    <p>
                      ${s.region?.name ?? 'No region'} ·
                      ${utcToZonedLocal(new Date(s.startsAt), s.timeZone).replace('T', ' ')} ${s.timeZone}
                    </p>
                    <p class="links">
                      <a href="/console/sessions/${s.id}/live">Live room<span class="skip"> of ${s.title}</span></a>
                      ${
                        l?.presenter
                          ? html`<a href="${l.presenter}"
                            >Presenter screen<span class="skip"> of ${s.title}</span></a
                          >`
                          : ''
                      }
                      ${
                        l?.attendee
                          ? html`<a href="${l.attendee}">${l.attendee}</a>`
                          : html`<span class="muted">The attendee link and QR code appear once the live room was opened.</span>`
                      }
                    </p>
                    ${
                      l?.qr
                        ? html`<p>
                          <a href="${l.qr}"
                            ><img
                              src="${l.qr}"
                              width="120"
                              height="120"
                              alt="QR code of the attendee link of ${s.title}"
                          /></a>
                        </p>`
                        : ''
                    }
                  </li>`;
                })}
              </ul>`
              : html`<p>
                No sessions yet. <a href="/console/series/${d.id}/sessions">Add a session</a>; its live room
                appears here.
              </p>`
          }`,
      ),
    );
  });
}
