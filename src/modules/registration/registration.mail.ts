/** Builds and sends the registration e-mails with their calendar invitations. */
import type { Db } from '../../db/index.ts';
import type { SessionTable } from '../../db/schema.ts';
import { findSeries, sessionPath } from '../series/index.ts';
import {
  icsCalendar,
  registrationMail,
  type IcsEvent,
  type JobContext,
  type RegistrationMailKind,
} from '../notify/index.ts';
import type { PendingMail } from './registration.service.ts';
import type { RegistrationTable } from './registration.tables.ts';

type JoinLink = (
  session: Pick<SessionTable, 'id' | 'video_url'>,
  ctx: { seriesSlug: string; publicUrl: string },
) => string;

/** The public session page; the live module may point this at its room (`/j/<code>`). */
let joinLinkResolver: JoinLink = (session, ctx) =>
  `${ctx.publicUrl}${sessionPath(ctx.seriesSlug, session.id)}`;

/** Where attendees join a session, as written in e-mails and invitations. */
export function joinLinkFor(
  session: Pick<SessionTable, 'id' | 'video_url'>,
  ctx: { seriesSlug: string; publicUrl: string },
): string {
  return joinLinkResolver(session, ctx);
}

/** Lets another module (live rooms) decide the join link. */
export function setJoinLinkResolver(fn: JoinLink): void {
  joinLinkResolver = fn;
}

/** The organiser address from MAIL_FROM ("Name <addr>" or a bare address). */
function organizer(mailFrom: string, seriesTitle: string) {
  const m = /<([^>]+)>/.exec(mailFrom);
  return { name: seriesTitle, email: (m ? m[1] : mailFrom).trim() };
}

/** The calendar event of one attendee's registration: UID stable per session and attendee. */
export function registrationEvent(
  reg: Pick<RegistrationTable, 'id' | 'name' | 'email'>,
  session: SessionTable,
  series: { title: string; slug: string },
  cfg: { publicUrl: string; mailFrom: string },
  now = new Date(),
): IcsEvent {
  const host = new URL(cfg.publicUrl).hostname;
  const url = `${cfg.publicUrl}${sessionPath(series.slug, session.id)}`;
  return {
    uid: `${session.id}-${reg.id}@${host}`,
    sequence: session.sequence,
    stamp: now,
    start: session.starts_at,
    end: session.ends_at,
    summary: `${session.title} (${series.title})`,
    description: `${session.description ? `${session.description}\n\n` : ''}${url}`,
    url,
    location:
      session.video_url ?? joinLinkFor(session, { seriesSlug: series.slug, publicUrl: cfg.publicUrl }),
    status: session.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
    organizer: organizer(cfg.mailFrom, series.title),
    attendee: { name: reg.name, email: reg.email, partstat: 'ACCEPTED' },
  };
}

const CANCELLING: RegistrationMailKind[] = ['withdrawn', 'session_cancelled'];

/** Sends one registration e-mail (with its invitation, REQUEST or CANCEL). */
export async function sendRegistrationMail(
  ctx: JobContext,
  db: Db,
  registrationId: string,
  kind: RegistrationMailKind,
  opts: { token?: string; offsetMinutes?: number } = {},
) {
  const reg = await db
    .selectFrom('registration')
    .selectAll()
    .where('id', '=', registrationId)
    .executeTakeFirst();
  if (!reg) return null;
  const session = await db
    .selectFrom('session')
    .selectAll()
    .where('id', '=', reg.session_id)
    .executeTakeFirstOrThrow();
  const series = await findSeries(db, reg.series_id);
  if (!series) return null;
  const publicUrl = ctx.config.publicUrl;
  const mail = registrationMail({
    kind,
    lang: reg.language,
    name: reg.name,
    timeZone: reg.time_zone,
    session: {
      title: session.title,
      seriesTitle: series.title,
      startsAt: session.starts_at,
      endsAt: session.ends_at,
      joinUrl: joinLinkFor(session, { seriesSlug: series.slug, publicUrl }),
    },
    manageUrl: opts.token ? `${publicUrl}/registrations/${opts.token}` : undefined,
    offsetMinutes: opts.offsetMinutes,
  });
  const method = CANCELLING.includes(kind) ? 'CANCEL' : 'REQUEST';
  // People still on the waiting list never had the event in their calendar: words only.
  const withIcs = kind !== 'waitlisted' && kind !== 'reminder' && reg.status !== 'waitlisted';
  const ics = withIcs
    ? ({
        method,
        content: icsCalendar(method, [registrationEvent(reg, session, series, ctx.config)]),
      } as const)
    : undefined;
  return ctx.mailer.send(db, {
    kind: `registration.${kind}`,
    to: reg.email,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    ics,
  });
}

/** Sends the mails a committed transaction asked for. */
export async function deliver(ctx: JobContext, mails: PendingMail[]): Promise<void> {
  for (const m of mails)
    await sendRegistrationMail(ctx, ctx.db, m.registrationId, m.kind, { token: m.token });
}
