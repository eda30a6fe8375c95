/** Builds and sends the registration e-mails with their calendar invitations. */
import type { Db } from '../../db/index.ts';
import type { SessionTable } from '../../db/schema.ts';
import { findSeries, findSession, sessionPath } from '../series/index.ts';
import {
  currentSequences,
  icsCalendar,
  instanceId,
  nextSequence,
  sessionUid,
  signLink,
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

/**
 * The calendar event of one attendee's registration. The UID is the session's (the same as in the
 * feeds); `method` CANCEL marks the event cancelled for this person.
 */
export function registrationEvent(
  reg: Pick<RegistrationTable, 'id' | 'name' | 'email'>,
  session: SessionTable,
  series: { title: string; slug: string },
  cfg: { publicUrl: string; mailFrom: string },
  calendar: { uid: string; sequence: number; method: 'REQUEST' | 'CANCEL' | 'PUBLISH' },
  now = new Date(),
): IcsEvent {
  const url = `${cfg.publicUrl}${sessionPath(series.slug, session.id)}`;
  const cancelled = calendar.method === 'CANCEL' || session.status === 'cancelled';
  return {
    uid: calendar.uid,
    sequence: calendar.sequence,
    stamp: now,
    start: session.starts_at,
    end: session.ends_at,
    summary: `${session.title} (${series.title})`,
    description: `${session.description ? `${session.description}\n\n` : ''}${url}`,
    url,
    location:
      session.video_url ?? joinLinkFor(session, { seriesSlug: series.slug, publicUrl: cfg.publicUrl }),
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
    organizer: organizer(cfg.mailFrom, series.title),
    attendee: {
      name: reg.name,
      email: reg.email,
      partstat: calendar.method === 'CANCEL' ? 'DECLINED' : 'ACCEPTED',
    },
  };
}

/** The UID and the SEQUENCE a feed or a download shows now for a session (no write). */
export async function publishedCalendar(
  db: Db,
  session: Pick<SessionTable, 'id' | 'sequence'>,
): Promise<{ uid: string; sequence: number }> {
  const uid = sessionUid(await instanceId(db), session.id);
  const sent = (await currentSequences(db, [uid])).get(uid) ?? 0;
  return { uid, sequence: Math.max(sent, session.sequence) };
}

/** UID and SEQUENCE of many sessions at once, for a feed. */
export async function publishedCalendars(
  db: Db,
  sessions: Pick<SessionTable, 'id' | 'sequence'>[],
): Promise<Map<string, { uid: string; sequence: number }>> {
  const instance = await instanceId(db);
  const uids = sessions.map((s) => sessionUid(instance, s.id));
  const sent = await currentSequences(db, uids);
  return new Map(
    sessions.map((s, i) => [s.id, { uid: uids[i], sequence: Math.max(sent.get(uids[i]) ?? 0, s.sequence) }]),
  );
}

/** The signed one-click address that turns a registration's reminders off (RFC 8058). */
export async function remindersOffUrl(db: Db, publicUrl: string, registrationId: string): Promise<string> {
  const sig = await signLink(db, 'reminders-off', registrationId);
  return `${publicUrl}/registrations/${registrationId}/reminders-off/${sig}`;
}

/** The registrant's join page of a session: its video link and its live room (signed, stable). */
export async function joinPageUrl(db: Db, publicUrl: string, registrationId: string): Promise<string> {
  return `${publicUrl}/join/${registrationId}/${await signLink(db, 'join', registrationId)}`;
}

/** The link in a coordinator's message that stops such messages (RFC 8058 one-click). */
export async function messagesOffUrl(db: Db, publicUrl: string, registrationId: string): Promise<string> {
  return `${publicUrl}/registrations/${registrationId}/messages-off/${await signLink(db, 'messages-off', registrationId)}`;
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
  const session = await findSession(db, reg.session_id);
  const series = await findSeries(db, reg.series_id);
  if (!session || !series) return null;
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
      joinUrl: await joinPageUrl(db, publicUrl, reg.id),
    },
    manageUrl: opts.token ? `${publicUrl}/registrations/${opts.token}` : undefined,
    offsetMinutes: opts.offsetMinutes,
  });
  const method = CANCELLING.includes(kind) ? 'CANCEL' : 'REQUEST';
  // People still on the waiting list never had the event in their calendar: words only.
  const withIcs = kind !== 'waitlisted' && kind !== 'reminder' && reg.status !== 'waitlisted';
  let ics: { method: 'REQUEST' | 'CANCEL'; content: string } | undefined;
  if (withIcs) {
    const uid = sessionUid(await instanceId(db), session.id);
    // Every REQUEST and CANCEL for this UID is newer than the last one sent (RFC 5546 §2.1.4).
    const sequence = await nextSequence(db, uid, session.sequence);
    const event = registrationEvent(reg, session, series, ctx.config, { uid, sequence, method });
    ics = { method, content: icsCalendar(method, [event]) };
  }
  // Reminders are the only mail a registrant can do without: they carry a one-click opt-out.
  const unsubscribeUrl = kind === 'reminder' ? await remindersOffUrl(db, publicUrl, reg.id) : undefined;
  return ctx.mailer.send(db, {
    kind: `registration.${kind}`,
    unsubscribeUrl,
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
