import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { AppError } from '../../lib/errors.ts';
import { html, raw, type Html } from '../../lib/html.ts';
import { dirOf, SUPPORTED } from '../../lib/i18n.ts';
import { newToken } from '../../lib/ids.ts';
import { csrfField } from '../../server/layout.ts';
import { findSession } from '../series/index.ts';
import type { PromptOut } from './live.events.ts';
import { LANGUAGE_NAMES } from './live.i18n.ts';
import { messages } from './messages/index.ts';
import { localise, resultsHtml } from './live.render.ts';
import * as repo from './live.repository.ts';
import { resultsOf } from './live.results.ts';
import { liveLinks } from './live.links.ts';
import { LANG_COOKIE, languageOf, PARTICIPANT_COOKIE, type LiveRuntime } from './live.runtime.ts';
import { MAX_TEXT, ResponseBody } from './live.schema.ts';
import * as svc from './live.service.ts';

// Kept tiny on purpose: the whole first load must fit in 30 KB compressed on a 2G phone.
const CSS = `*{box-sizing:border-box}body{margin:0;font:17px/1.45 system-ui,sans-serif;color:#1b1f24;background:#fff}main{max-width:36rem;margin:0 auto;padding:.8rem}
h1{font-size:1.25rem;margin:.2rem 0 .8rem}h2{font-size:1.15rem}.card{border:1px solid #d0d7de;border-radius:8px;padding:.8rem;margin:.8rem 0}
textarea,input[type=text],select{font:inherit;width:100%;padding:.5rem;border:1px solid #6e7781;border-radius:6px}textarea{min-height:6rem}
button{font:inherit;padding:.55rem 1.2rem;border-radius:6px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;margin-top:.6rem}
.muted{color:#57606a;font-size:.9rem}.notice{background:#ddf4ff;border:1px solid #54aeff;padding:.5rem .8rem;border-radius:6px}.alert{background:#ffebe9;border:1px solid #ff8182;padding:.5rem .8rem;border-radius:6px}
.kind{display:inline-block;font-size:.8rem;border:1px solid #57606a;border-radius:99px;padding:0 .5rem;color:#3d444d}fieldset{border:0;padding:0;margin:0}legend{font-weight:600;margin-bottom:.3rem}
label.opt{display:block;padding:.35rem 0}.bars{list-style:none;padding:0}.bars li{display:grid;grid-template-columns:minmax(5rem,1fr) 2fr 2.5rem;gap:.4rem;align-items:center;margin:.2rem 0}
.bar{background:#eaeef2;height:.9rem;border-radius:4px;overflow:hidden;display:block}.bar span{display:block;height:100%;background:#0b5cad;transition:width .6s}
.cloud span{display:inline-block;margin:0 .3rem;color:#0b5cad}.answers{padding-inline-start:1.1rem}.lang{display:flex;gap:.4rem;align-items:end}.lang select{width:auto}.lang button{margin:0}
.out{font-size:.9rem}`;

type T = ReturnType<typeof messages.t>;

function gz(req: FastifyRequest, reply: FastifyReply, body: string) {
  void reply
    .type('text/html; charset=utf-8')
    .header('vary', 'accept-encoding')
    .header('cache-control', 'no-store');
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')))
    return reply.header('content-encoding', 'gzip').send(gzipSync(body));
  return reply.send(body);
}

function shell(
  lang: string,
  title: string,
  body: Html,
  opts: { script?: string; css?: string; data?: Html } = {},
): string {
  return html`<!doctype html>
    <html lang="${lang}" dir="${dirOf(lang)}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>${title}</title>
        <style>
          ${raw(opts.css ?? CSS)}
        </style>
      </head>
      <body ${opts.data ?? ''}>
        ${body}${opts.script ? html`<script type="module" src="${opts.script}"></script>` : ''}
      </body>
    </html>`.toString();
}

function promptForm(req: FastifyRequest, code: string, p: PromptOut, lang: string, t: T): Html {
  const label = localise(p.text, lang);
  const head = html`${p.kind ? html`<span class="kind">${messages.lookup(t.lang, `kind_${p.kind}`) ?? p.kind.replace(/_/g, ' ')}</span>` : ''}
    <h2 id="q-${p.id}" dir="auto">${label}</h2>`;
  let inputs: Html;
  const id = `a-${p.id}`;
  switch (p.type) {
    case 'poll':
      inputs = html`<fieldset>
        <legend class="muted">${p.settings.multiple ? t('choose_many') : t('choose_one')}</legend>
        ${p.choices.map((c) => html`<label class="opt"><input type="${p.settings.multiple ? 'checkbox' : 'radio'}" name="${p.settings.multiple ? 'choices' : 'choice'}" value="${c.id}" ${p.settings.multiple ? '' : raw(' required')} /> ${localise(c.text, lang)}</label>`)}
      </fieldset>`;
      break;
    case 'scale': {
      const min = p.settings.min ?? 1;
      const max = p.settings.max ?? 5;
      const vals: number[] = [];
      for (let v = min; v <= max; v++) vals.push(v);
      inputs = html`<fieldset>
        <legend class="muted">
          ${t('scale_hint', { min, max })}${p.settings.minLabel ? ` — ${min}: ${localise(p.settings.minLabel, lang)}` : ''}${p.settings.maxLabel ? `, ${max}: ${localise(p.settings.maxLabel, lang)}` : ''}
        </legend>
        ${vals.map((v) => html`<label class="opt"><input type="radio" name="value" value="${v}" required /> ${v}</label>`)}
      </fieldset>`;
      break;
    }
    case 'ranking':
      inputs = html`<fieldset>
        <legend class="muted">${t('rank_hint')}</legend>
        ${p.choices.map(
          (c, i) =>
            html`<label class="opt" for="${id}-${c.id}">${localise(c.text, lang)}</label
              ><select id="${id}-${c.id}" name="rank_${c.id}">
                ${p.choices.map((_, j) => html`<option value="${j + 1}" ${i === j ? raw(' selected') : ''}>${t('place')} ${j + 1}</option>`)}
              </select>`,
        )}
      </fieldset>`;
      break;
    case 'word_cloud':
      inputs = html`<label for="${id}">${t('your_answer')}</label
        ><input type="text" id="${id}" name="text" maxlength="60" required dir="auto" />`;
      break;
    default:
      inputs = html`<label for="${id}">${p.type === 'qa' ? t('your_question') : t('your_answer')}</label
        ><textarea id="${id}" name="text" maxlength="${MAX_TEXT}" required dir="auto"></textarea>`;
  }
  return html`<form
    method="post"
    action="/j/${code}/answer"
    class="answer"
    data-prompt="${p.id}"
    data-type="${p.type}"
    aria-labelledby="q-${p.id}"
  >
    ${head}${csrfField(req)}<input type="hidden" name="promptId" value="${p.id}" /><input
      type="hidden"
      name="clientKey"
      value="${newToken(12)}"
    /><input type="hidden" name="language" value="${lang}" />${inputs}<button type="submit">
      ${p.type === 'poll' || p.type === 'scale' ? t('vote') : t('send')}
    </button>
    <p class="out" role="status" aria-live="polite"></p>
  </form>`;
}

/** A vote already given: the question and the person's own choice (one vote per person). */
function yourVote(
  p: PromptOut,
  vote: { choices: string | null; value: number | null },
  lang: string,
  t: T,
): Html {
  const chosen = vote.choices ? (JSON.parse(vote.choices) as string[]) : [];
  const label = (id: string) => localise(p.choices.find((c) => c.id === id)?.text ?? {}, lang);
  const given =
    vote.value !== null
      ? String(vote.value)
      : p.type === 'ranking'
        ? chosen.map((id, i) => `${i + 1}. ${label(id)}`).join(' · ')
        : chosen.map(label).join(', ');
  return html`<div class="voted" data-prompt="${p.id}">
    <h2 id="q-${p.id}" dir="auto">${localise(p.text, lang)}</h2>
    <p>${t('your_vote')}: <b dir="auto">${given}</b></p>
  </div>`;
}

/** Attendee pages (/j, /j/CODE), their form posts, and the presenter screen (/present/CODE). */
export function livePages(live: LiveRuntime) {
  return async (app: FastifyInstance): Promise<void> => {
    const { db } = app.ctx;
    const qrCache = new Map<string, string>();
    const qrOf = async (url: string) => {
      let qr = qrCache.get(url);
      if (!qr) {
        qr = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
        if (qrCache.size > 1000) qrCache.clear();
        qrCache.set(url, qr);
      }
      return qr;
    };

    // The attendee link as a QR code, to print or put on a slide (the presenter screen shows it too).
    app.get('/j/:code/qr.svg', { schema: { hide: true } }, async (req, reply) => {
      const { row } = await live.room((req.params as { code: string }).code.toUpperCase());
      const svg = await qrOf(liveLinks(app.ctx.config.publicUrl, row.session_id, row.code).attendee);
      return reply
        .type('image/svg+xml')
        .header('cache-control', 'public, max-age=3600')
        .header('content-disposition', `inline; filename="colloquy-${row.code}.svg"`)
        .send(svg);
    });

    app.get('/j', { schema: { hide: true } }, async (req, reply) => {
      const lang = languageOf(req);
      const t = messages.t(lang);
      const code = String((req.query as { code?: string }).code ?? '')
        .trim()
        .toUpperCase();
      if (code) return reply.redirect(`/j/${encodeURIComponent(code)}?lang=${lang}`, 303);
      return gz(
        req,
        reply,
        shell(
          lang,
          t('join_title'),
          html`<main>
            <h1>${t('join_title')}</h1>
            <form method="get" action="/j">
              <label for="code">${t('code_label')}</label
              ><input
                type="text"
                id="code"
                name="code"
                autocapitalize="characters"
                autocomplete="off"
                required
              /><input type="hidden" name="lang" value="${lang}" /><button type="submit">${t('join')}</button>
            </form>
          </main>`,
        ),
      );
    });

    app.get('/j/:code', { schema: { hide: true } }, async (req, reply) => {
      const code = (req.params as { code: string }).code.toUpperCase();
      const q = req.query as { lang?: string; thanks?: string; error?: string; reg?: string };
      const lang = languageOf(req);
      if (q.lang && q.lang === lang)
        void reply.setCookie(LANG_COOKIE, lang, {
          path: '/',
          sameSite: 'lax',
          maxAge: 31536000,
          secure: app.ctx.config.secureCookies,
        });
      const t = messages.t(lang);
      const { row, prompts } = await live.room(code);
      if (q.reg) await live.participant(req, reply, row);
      const session = await findSession(db, row.session_id);
      // Phones follow the run of show: the current prompt comes first, then any other open one.
      const open = prompts
        .filter((p) => p.status === 'open')
        .sort((a, b) => Number(b.id === row.current_prompt_id) - Number(a.id === row.current_prompt_id));
      const revealed = prompts.filter(
        (p) => p.revealed && (p.status === 'open' || p.id === row.current_prompt_id),
      );
      // One vote per person: a prompt already voted on shows the vote instead of the form.
      const key = req.cookies[PARTICIPANT_COOKIE];
      const votes = new Map(
        key && open.some((p) => p.type === 'poll' || p.type === 'scale' || p.type === 'ranking')
          ? (await repo.votesOf(db, row.id, svc.hashKey(key))).map((v) => [v.prompt_id, v])
          : [],
      );
      const blocks: Html[] = [];
      for (const p of open) {
        const vote = votes.get(p.id);
        blocks.push(
          html`<section class="card">
            ${vote ? yourVote(p, vote, lang, t) : promptForm(req, row.code, p, lang, t)}${p.type === 'qa' ? await questionList(req, row.code, row.id, p, lang, t) : ''}
          </section>`,
        );
      }
      for (const p of revealed) {
        const res = resultsOf(
          p,
          (await repo.responsesOf(db, row.id, p.id, ['visible', 'held'], 2000)).map(repo.answerOut),
        );
        blocks.push(
          html`<section class="card">
            <h2>${t('results')}: <span dir="auto">${localise(p.text, lang)}</span></h2>
            <p class="muted">${t('answers', { count: res.total })}</p>
            ${resultsHtml(p, res, lang, t)}
          </section>`,
        );
      }
      const errKey = q.error ? `err_${q.error}` : '';
      const msgs = Object.fromEntries(
        (
          [
            'saved_offline',
            'sending',
            'sent',
            'new_question',
            'show',
            'err_prompt_closed',
            'err_too_long',
            'err_rate_limited',
            'err_required',
            'err_already_answered',
            'err_generic',
            'thanks',
            'answers',
          ] as const
        ).map((k) => [k, t(k, { max: MAX_TEXT, count: 0 })]),
      );
      const body = html`<main>
        <h1 dir="auto">${session?.title ?? ''}</h1>
        <form method="get" class="lang" action="/j/${row.code}">
          <div>
            <label for="lang">${t('language')}</label
            ><select id="lang" name="lang">
              ${SUPPORTED.map((l) => html`<option value="${l}" lang="${l}" ${l === lang ? raw(' selected') : ''}>${LANGUAGE_NAMES[l]}</option>`)}
            </select>
          </div>
          <button type="submit">${t('change')}</button>
        </form>
        ${q.thanks ? html`<p class="notice" role="status">${t('thanks')}</p>` : ''}${errKey ? html`<p class="alert" role="alert">${t(errKey && messages.has(errKey) ? errKey : 'err_generic', { max: MAX_TEXT })}</p>` : ''}
        <div id="live">
          ${blocks.length ? blocks : html`<p class="card" role="status">${t('waiting')} <a href="/j/${row.code}?lang=${lang}">${t('reload')}</a></p>`}
        </div>
        ${row.pre_moderation ? html`<p class="muted">${t('held_note')}</p>` : ''}
        <script type="application/json" id="msgs">
          ${raw(JSON.stringify(msgs).replace(/</g, '\\u003c'))}
        </script>
      </main>`;
      return gz(
        req,
        reply,
        shell(lang, `${session?.title ?? ''} · Colloquy`, body, {
          script: '/assets/attendee.js',
          data: html`data-code="${row.code}" data-lang="${lang}" data-csrf="${req.actor ? req.csrfToken : ''}"
          data-open="${open.map((p) => p.id).join(',')}" data-current="${row.current_prompt_id ?? ''}"`,
        }),
      );
    });

    async function questionList(
      req: FastifyRequest,
      code: string,
      roomId: string,
      p: PromptOut,
      lang: string,
      t: T,
    ): Promise<Html> {
      const rows = (await repo.responsesOf(db, roomId, p.id, ['visible'], 200))
        .map(repo.answerOut)
        .sort((a, b) => b.upvotes - a.upvotes)
        .slice(0, 30);
      if (!rows.length) return html``;
      return html`<h3>${t('questions')}</h3>
        <ul class="answers">
          ${rows.map(
            (a) =>
              html`<li>
                <span dir="auto">${a.text}</span>
                <span class="muted"
                  >${t('upvotes', { count: a.upvotes })}${a.answered ? ` · ${t('answered')}` : ''}</span
                >
                <form method="post" action="/j/${code}/upvote">
                  ${csrfField(req)}<input type="hidden" name="id" value="${a.id}" /><input
                    type="hidden"
                    name="lang"
                    value="${lang}"
                  /><button type="submit" aria-label="${t('upvote')}: ${a.text ?? ''}">
                    ▲ ${t('upvote')}
                  </button>
                </form>
              </li>`,
          )}
        </ul>`;
    }

    // The no-JavaScript path: a plain form post, then back to the page with a thank-you.
    app.post(
      '/j/:code/answer',
      // The address limit (LIVE_ADDRESS_LIMIT a minute) is counted with the participant's by
      // `live.submit`; a refusal comes back to the page as a translated message.
      { schema: { hide: true } },
      async (req, reply) => {
        const code = (req.params as { code: string }).code.toUpperCase();
        const f = req.body as Record<string, string | string[] | undefined>;
        const lang =
          typeof f.language === 'string' && (SUPPORTED as readonly string[]).includes(f.language)
            ? f.language
            : languageOf(req);
        const back = (extra: string) => reply.redirect(`/j/${code}?lang=${lang}&${extra}`, 303);
        const { row, prompts } = await live.answerRoom(code, req.ip);
        const prompt = prompts.find((p) => p.id === f.promptId);
        const ranks =
          prompt?.type === 'ranking'
            ? prompt.choices
                .map((c) => ({ id: c.id, r: Number(f[`rank_${c.id}`]) }))
                .sort((a, b) => a.r - b.r)
                .map((x) => x.id)
            : undefined;
        const parsed = ResponseBody.safeParse({
          promptId: f.promptId,
          clientKey: f.clientKey,
          text: f.text,
          choice: f.choice,
          language: lang,
          choices:
            ranks ??
            (f.choices === undefined ? undefined : Array.isArray(f.choices) ? f.choices : [f.choices]),
          value: f.value === undefined || f.value === '' ? undefined : f.value,
        });
        if (!parsed.success) return back('error=required');
        try {
          await live.submit(
            row,
            prompts,
            await live.participantOrNew(req, reply, row),
            parsed.data,
            lang,
            req.ip,
          );
        } catch (e) {
          if (e instanceof AppError && e.status < 500) return back(`error=${encodeURIComponent(e.code)}`);
          throw e;
        }
        return back('thanks=1');
      },
    );

    app.post('/j/:code/upvote', { schema: { hide: true } }, async (req, reply) => {
      const code = (req.params as { code: string }).code.toUpperCase();
      const f = req.body as { id?: string; lang?: string };
      const { row } = await live.room(code);
      const pid = await live.participant(req, reply, row);
      await live.limitAnswer(req.ip, pid);
      const res = await svc.upvote(db, row, pid, String(f.id ?? ''));
      live.hub.publish({
        t: 'upvote',
        roomId: row.id,
        promptId: res.promptId,
        id: String(f.id),
        upvotes: res.upvotes,
      });
      return reply.redirect(`/j/${code}?lang=${encodeURIComponent(f.lang ?? 'en')}`, 303);
    });

    app.get('/present/:code', { schema: { hide: true } }, async (req, reply) => {
      const code = (req.params as { code: string }).code.toUpperCase();
      const lang =
        (req.query as { lang?: string }).lang &&
        (SUPPORTED as readonly string[]).includes((req.query as { lang: string }).lang)
          ? (req.query as { lang: string }).lang
          : 'en';
      const t = messages.t(lang);
      const { row, prompts } = await live.room(code);
      const joinUrl = `${app.ctx.config.publicUrl}/j/${row.code}`;
      const qr = await qrOf(joinUrl);
      const session = await findSession(db, row.session_id);
      const current =
        prompts.find((p) => p.id === row.current_prompt_id) ?? prompts.find((p) => p.status === 'open');
      let results: Html = html``;
      let total = 0;
      if (current) {
        const res = resultsOf(
          current,
          (await repo.responsesOf(db, row.id, current.id, ['visible', 'held'], 5000)).map(repo.answerOut),
        );
        total = res.total;
        results = resultsHtml(current, res, lang, t);
      }
      const body = html`<main class="screen">
        <header>
          <p class="title" dir="auto">${session?.title ?? ''}</p>
          <div class="join">
            <div class="qr" role="img" aria-label="${t('scan')}: ${joinUrl}">
              ${raw(qr.replace(/<svg /, '<svg aria-hidden="true" focusable="false" '))}
            </div>
            <p>
              ${t('join_at')} <b dir="ltr">${joinUrl.replace(/^https?:\/\//, '')}</b><br /><span class="code"
                >${row.code}</span
              >
            </p>
          </div>
        </header>
        <section id="stage" aria-live="polite">
          <h1 id="prompt" dir="auto">${current ? localise(current.text, lang) : t('waiting')}</h1>
          <p class="count" id="count" ${current ? '' : raw('hidden')}>
            <span id="ans-label">${t('answers', { count: total })}</span>
          </p>
          <div id="res">${results}</div>
        </section>
        <script type="application/json" id="msgs">
          ${raw(JSON.stringify({ answers: messages.raw(lang, 'answers'), waiting: t('waiting') }).replace(/</g, '\\u003c'))}
        </script>
      </main>`;
      const css = `${CSS}body{background:#0d1b2a;color:#f4f6f8}main.screen{max-width:none;padding:2rem clamp(1rem,4vw,3rem)}header{display:flex;flex-wrap:wrap;justify-content:space-between;gap:1rem 2rem;align-items:center}.title{font-size:1.4rem;opacity:.85}.join{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;min-width:0;max-width:100%}.join>p{min-width:0;overflow-wrap:anywhere}.qr{width:9rem;background:#fff;padding:.3rem;border-radius:6px}.code{font-size:2.6rem;font-weight:800;letter-spacing:.2em}
#prompt{font-size:2.6rem;margin:1.5rem 0 .5rem}.count{font-size:1.3rem;opacity:.85}.bars li{grid-template-columns:minmax(8rem,1fr) 3fr 4rem;font-size:1.5rem}.bar{height:1.6rem;background:#1f3550}.bar span{background:#4cc9f0}.cloud span{color:#90e0ef;transition:font-size .6s}.answers li{font-size:1.4rem;margin:.4rem 0;animation:in .5s ease-out both}.answers li.pin{border-inline-start:4px solid #ffd166;padding-inline-start:.5rem}.muted{color:#c9d1d9}
@keyframes in{from{transform:translateY(.6rem)}to{transform:none}}@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}`;
      return gz(
        req,
        reply,
        shell(lang, `${session?.title ?? ''} · ${row.code}`, body, {
          css,
          script: '/assets/presenter.js',
          data: html`data-code="${row.code}" data-lang="${lang}"`,
        }),
      );
    });
  };
}
