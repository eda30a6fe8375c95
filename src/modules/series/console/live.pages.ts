import type { FastifyInstance } from 'fastify';
import { html } from '../../../lib/html.ts';
import { sendPage } from '../../../server/forms.ts';
import { page } from '../../../server/layout.ts';
import { liveLinksOf } from './live-links.ts';
import { consoleT, NAV_STYLE, seriesLoader, seriesNav } from './common.ts';
import { sessionWhen } from './sessions.pages.ts';

/** The live section: each session's live room, presenter screen, attendee link and QR code. */
export async function liveSectionPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const { actorOf, detailFor } = seriesLoader(app);

  app.get('/console/series/:id/live', { schema: { hide: true } }, async (req, reply) => {
    const actor = actorOf(req);
    const t = consoleT(req);
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
        { title: `${t('live.title')} · ${d.title}`, head: NAV_STYLE },
        html`${seriesNav(actor, d, 'live', t.lang)}
          <h1>${t('live.title')}</h1>
          <p>${t('live.intro')}</p>
          ${
            d.sessions.length
              ? html`<ul class="sessions">
                ${d.sessions.map((s) => {
                  const l = links.get(s.id);
                  return html`<li class="card">
                    <h2 style="margin-top:0;font-size:1.15rem">${s.title}</h2>
                    <p>
                      ${s.region?.name ?? t('sessions.noRegion')} · ${sessionWhen(t.lang, s)}
                    </p>
                    <p class="links">
                      <a href="/console/sessions/${s.id}/live"
                        >${t('links.liveRoom')}<span class="skip"> ${t('of', { title: s.title })}</span></a
                      >
                      ${
                        l
                          ? html`<a href="${l.presenter}"
                              >${t('links.presenter')}<span class="skip"> ${t('of', { title: s.title })}</span></a
                            >
                            <a href="${l.attendee}">${l.attendee}</a>`
                          : ''
                      }
                    </p>
                    ${
                      l
                        ? html`<p>
                          <a href="${l.qr}"
                            ><img
                              src="${l.qr}"
                              width="120"
                              height="120"
                              alt="${t('live.qrAlt', { title: s.title })}"
                          /></a>
                        </p>`
                        : ''
                    }
                  </li>`;
                })}
              </ul>`
              : html`<p>
                ${t('live.none')} <a href="/console/series/${d.id}/sessions">${t('live.add')}</a>
              </p>`
          }`,
      ),
    );
  });
}
