/**
 * Registration e-mails as presenters: data in, localised subject/text/html out. Times are shown in
 * the registrant's zone and in UTC; every mail carries the join link and the personal manage link.
 */
import { messages } from './messages/index.ts';
import { escapeHtml } from '../../lib/html.ts';
import { formatter } from '../../lib/time.ts';

export type RegistrationMailKind =
  'confirmed' | 'waitlisted' | 'promoted' | 'updated' | 'session_cancelled' | 'withdrawn' | 'reminder';

/** The kinds mailed with an iTIP REQUEST; cancellations carry a CANCEL, reminders nothing. */
const WITH_INVITATION: RegistrationMailKind[] = ['confirmed', 'promoted', 'updated'];

export interface MailSessionInfo {
  title: string;
  seriesTitle: string;
  startsAt: string;
  endsAt: string;
  joinUrl: string;
}

export interface RegistrationMailInput {
  kind: RegistrationMailKind;
  lang: string;
  name: string;
  timeZone: string;
  session: MailSessionInfo;
  /** Only mails that hand out a fresh manage link carry it (tokens are stored hashed). */
  manageUrl?: string;
  /** Reminders: minutes before the start. */
  offsetMinutes?: number;
}

/** A time range in a zone, in the reader's language: "mercredi 23 mars 2022, 00:00–01:30 UTC−5". */
export function timeRange(startsAt: string, endsAt: string, tz: string, lang: string): string {
  const start = formatter(lang, tz, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(startsAt));
  const end = formatter(lang, tz, {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(new Date(endsAt));
  return `${start} – ${end}`;
}

/** "in 24 hours" / "dans 1 heure" through Intl.RelativeTimeFormat. */
function relative(minutes: number, lang: string): string {
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'always' });
  return minutes % 60 === 0 ? rtf.format(minutes / 60, 'hour') : rtf.format(minutes, 'minute');
}

/** Subject, plain text and HTML of one registration e-mail. */
export function registrationMail(m: RegistrationMailInput): { subject: string; text: string; html: string } {
  const lang = m.lang;
  const t = messages.t(lang);
  const vars = {
    title: m.session.title,
    series: m.session.seriesTitle,
    name: m.name,
    when: relative(m.offsetMinutes ?? 60, lang),
  };
  const subject = t(`subj_${m.kind}`, vars);
  const local = timeRange(m.session.startsAt, m.session.endsAt, m.timeZone, lang);
  const utc = timeRange(m.session.startsAt, m.session.endsAt, 'UTC', lang);
  const showJoin = m.kind !== 'session_cancelled' && m.kind !== 'withdrawn' && m.kind !== 'waitlisted';
  const lines = [
    t('hello', vars),
    '',
    t(`body_${m.kind}`, vars),
    '',
    `${t('your_time', { zone: m.timeZone })}: ${local}`,
    `${t('utc')}: ${utc}`,
    ...(showJoin ? ['', `${t('join')}: ${m.session.joinUrl}`] : []),
    ...(m.manageUrl ? ['', `${t('manage')}: ${m.manageUrl}`] : []),
    // Only the mails that carry an invitation (REQUEST) say it adds the session to the calendar.
    ...(WITH_INVITATION.includes(m.kind) ? ['', t('calendar')] : []),
  ];
  const text = lines.join('\n');
  const dir = /^ar/.test(lang) ? 'rtl' : 'ltr';
  const esc = escapeHtml;
  const html = `<!doctype html><html lang="${lang}" dir="${dir}"><body style="font-family:system-ui,sans-serif">
<p>${esc(t('hello', vars))}</p><p>${esc(t(`body_${m.kind}`, vars))}</p>
<p><strong>${esc(t('your_time', { zone: m.timeZone }))}:</strong> ${esc(local)}<br>${esc(t('utc'))}: ${esc(utc)}</p>
${showJoin ? `<p><a href="${esc(m.session.joinUrl)}">${esc(t('join'))}</a></p>` : ''}
${m.manageUrl ? `<p><a href="${esc(m.manageUrl)}">${esc(t('manage'))}</a></p>` : ''}</body></html>`;
  return { subject, text, html };
}
