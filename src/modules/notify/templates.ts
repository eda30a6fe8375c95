/**
 * Registration e-mails as presenters: data in, localised subject/text/html out. Times are shown in
 * the registrant's zone and in UTC; every mail carries the join link and the personal manage link.
 */
import { translator, type Catalogues } from '../../lib/i18n.ts';
import { escapeHtml } from '../../lib/html.ts';
import { formatter } from '../../lib/time.ts';

export type RegistrationMailKind =
  'confirmed' | 'waitlisted' | 'promoted' | 'updated' | 'session_cancelled' | 'withdrawn' | 'reminder';

/** The kinds mailed with an iTIP REQUEST; cancellations carry a CANCEL, reminders nothing. */
const WITH_INVITATION: RegistrationMailKind[] = ['confirmed', 'promoted', 'updated'];

const MAIL: Catalogues = {
  en: {
    subj_confirmed: 'Registration confirmed: {title}',
    subj_waitlisted: 'You are on the waiting list: {title}',
    subj_promoted: 'A place freed up, you are registered: {title}',
    subj_updated: 'Updated: {title}',
    subj_session_cancelled: 'Cancelled: {title}',
    subj_withdrawn: 'Registration cancelled: {title}',
    subj_reminder: 'Reminder: {title} starts {when}',
    hello: 'Hello {name},',
    body_confirmed: 'your registration for “{title}” ({series}) is confirmed.',
    body_waitlisted:
      'the session “{title}” is full. You are on the waiting list; we will e-mail you as soon as a place frees up.',
    body_promoted: 'a place has freed up: your registration for “{title}” is now confirmed.',
    body_updated:
      'the session “{title}” has changed. Here are the current details; the attached invitation updates your calendar.',
    body_session_cancelled:
      'the session “{title}” has been cancelled. The attached update removes it from your calendar.',
    body_withdrawn: 'your registration for “{title}” is cancelled.',
    body_reminder: '“{title}” starts {when}.',
    your_time: 'Your time ({zone})',
    utc: 'UTC',
    join: 'Join link',
    manage: 'Manage or cancel your registration, download or erase your data',
    calendar: 'The attached invitation (invite.ics) adds the session to your calendar.',
  },
  fr: {
    subj_confirmed: 'Inscription confirmée : {title}',
    subj_waitlisted: 'Vous êtes sur la liste d’attente : {title}',
    subj_promoted: 'Une place s’est libérée, vous êtes inscrit·e : {title}',
    subj_updated: 'Mise à jour : {title}',
    subj_session_cancelled: 'Annulé : {title}',
    subj_withdrawn: 'Inscription annulée : {title}',
    subj_reminder: 'Rappel : {title} commence {when}',
    hello: 'Bonjour {name},',
    body_confirmed: 'votre inscription à « {title} » ({series}) est confirmée.',
    body_waitlisted:
      'la session « {title} » est complète. Vous êtes sur la liste d’attente ; nous vous écrirons dès qu’une place se libère.',
    body_promoted: 'une place s’est libérée : votre inscription à « {title} » est confirmée.',
    body_updated:
      'la session « {title} » a changé. Voici les informations à jour ; l’invitation jointe met votre agenda à jour.',
    body_session_cancelled:
      'la session « {title} » est annulée. La mise à jour jointe la retire de votre agenda.',
    body_withdrawn: 'votre inscription à « {title} » est annulée.',
    body_reminder: '« {title} » commence {when}.',
    your_time: 'Votre heure ({zone})',
    utc: 'UTC',
    join: 'Lien pour rejoindre',
    manage: 'Gérer ou annuler votre inscription, télécharger ou effacer vos données',
    calendar: 'L’invitation jointe (invite.ics) ajoute la session à votre agenda.',
  },
  es: {
    subj_confirmed: 'Inscripción confirmada: {title}',
    subj_waitlisted: 'Está en la lista de espera: {title}',
    subj_promoted: 'Se liberó un lugar, está inscrito/a: {title}',
    subj_updated: 'Actualización: {title}',
    subj_session_cancelled: 'Cancelada: {title}',
    subj_withdrawn: 'Inscripción cancelada: {title}',
    subj_reminder: 'Recordatorio: {title} empieza {when}',
    hello: 'Hola, {name}:',
    body_confirmed: 'su inscripción en «{title}» ({series}) está confirmada.',
    body_waitlisted:
      'la sesión «{title}» está completa. Está en la lista de espera; le escribiremos en cuanto se libere un lugar.',
    body_promoted: 'se liberó un lugar: su inscripción en «{title}» está confirmada.',
    body_updated:
      'la sesión «{title}» ha cambiado. Estos son los datos actuales; la invitación adjunta actualiza su calendario.',
    body_session_cancelled:
      'la sesión «{title}» se ha cancelado. La actualización adjunta la quita de su calendario.',
    body_withdrawn: 'su inscripción en «{title}» está cancelada.',
    body_reminder: '«{title}» empieza {when}.',
    your_time: 'Su hora ({zone})',
    utc: 'UTC',
    join: 'Enlace para unirse',
    manage: 'Gestionar o cancelar su inscripción, descargar o borrar sus datos',
    calendar: 'La invitación adjunta (invite.ics) añade la sesión a su calendario.',
  },
  de: {
    subj_confirmed: 'Anmeldung bestätigt: {title}',
    subj_waitlisted: 'Sie stehen auf der Warteliste: {title}',
    subj_promoted: 'Ein Platz ist frei, Sie sind angemeldet: {title}',
    subj_updated: 'Geändert: {title}',
    subj_session_cancelled: 'Abgesagt: {title}',
    subj_withdrawn: 'Anmeldung storniert: {title}',
    subj_reminder: 'Erinnerung: {title} beginnt {when}',
    hello: 'Guten Tag {name},',
    body_confirmed: 'Ihre Anmeldung für „{title}“ ({series}) ist bestätigt.',
    body_waitlisted:
      'die Sitzung „{title}“ ist ausgebucht. Sie stehen auf der Warteliste; wir schreiben Ihnen, sobald ein Platz frei wird.',
    body_promoted: 'ein Platz ist frei geworden: Ihre Anmeldung für „{title}“ ist bestätigt.',
    body_updated:
      'die Sitzung „{title}“ hat sich geändert. Hier die aktuellen Angaben; die angehängte Einladung aktualisiert Ihren Kalender.',
    body_session_cancelled:
      'die Sitzung „{title}“ wurde abgesagt. Die angehängte Aktualisierung entfernt sie aus Ihrem Kalender.',
    body_withdrawn: 'Ihre Anmeldung für „{title}“ ist storniert.',
    body_reminder: '„{title}“ beginnt {when}.',
    your_time: 'Ihre Zeit ({zone})',
    utc: 'UTC',
    join: 'Link zur Teilnahme',
    manage: 'Anmeldung verwalten oder stornieren, Ihre Daten herunterladen oder löschen',
    calendar: 'Die angehängte Einladung (invite.ics) trägt die Sitzung in Ihren Kalender ein.',
  },
  ar: {
    subj_confirmed: 'تم تأكيد التسجيل: {title}',
    subj_waitlisted: 'أنت على قائمة الانتظار: {title}',
    subj_promoted: 'توفر مكان، تم تسجيلك: {title}',
    subj_updated: 'تحديث: {title}',
    subj_session_cancelled: 'أُلغيت: {title}',
    subj_withdrawn: 'أُلغي التسجيل: {title}',
    subj_reminder: 'تذكير: {title} تبدأ {when}',
    hello: 'مرحبًا {name}،',
    body_confirmed: 'تم تأكيد تسجيلك في «{title}» ({series}).',
    body_waitlisted: 'الجلسة «{title}» ممتلئة. أنت على قائمة الانتظار، وسنراسلك فور توفر مكان.',
    body_promoted: 'توفر مكان: تم تأكيد تسجيلك في «{title}».',
    body_updated: 'تغيّرت الجلسة «{title}». هذه هي التفاصيل الحالية؛ الدعوة المرفقة تحدّث تقويمك.',
    body_session_cancelled: 'أُلغيت الجلسة «{title}». التحديث المرفق يزيلها من تقويمك.',
    body_withdrawn: 'أُلغي تسجيلك في «{title}».',
    body_reminder: '«{title}» تبدأ {when}.',
    your_time: 'توقيتك ({zone})',
    utc: 'التوقيت العالمي UTC',
    join: 'رابط الانضمام',
    manage: 'إدارة تسجيلك أو إلغاؤه، وتنزيل بياناتك أو محوها',
    calendar: 'الدعوة المرفقة (invite.ics) تضيف الجلسة إلى تقويمك.',
  },
  zh: {
    subj_confirmed: '报名已确认：{title}',
    subj_waitlisted: '您已进入候补名单：{title}',
    subj_promoted: '有空位了，您已报名成功：{title}',
    subj_updated: '已更新：{title}',
    subj_session_cancelled: '已取消：{title}',
    subj_withdrawn: '报名已取消：{title}',
    subj_reminder: '提醒：{title} {when}开始',
    hello: '{name}，您好：',
    body_confirmed: '您对“{title}”（{series}）的报名已确认。',
    body_waitlisted: '“{title}”已满。您在候补名单上；一有空位我们会立即发邮件通知您。',
    body_promoted: '有空位了：您对“{title}”的报名现已确认。',
    body_updated: '“{title}”有变动。以下为最新信息；附件中的邀请会更新您的日历。',
    body_session_cancelled: '“{title}”已取消。附件中的更新会将其从您的日历中删除。',
    body_withdrawn: '您对“{title}”的报名已取消。',
    body_reminder: '“{title}”{when}开始。',
    your_time: '您的时间（{zone}）',
    utc: '协调世界时 UTC',
    join: '加入链接',
    manage: '管理或取消报名，下载或删除您的数据',
    calendar: '附件中的邀请（invite.ics）会将本场活动加入您的日历。',
  },
  ru: {
    subj_confirmed: 'Регистрация подтверждена: {title}',
    subj_waitlisted: 'Вы в листе ожидания: {title}',
    subj_promoted: 'Место освободилось, вы зарегистрированы: {title}',
    subj_updated: 'Изменение: {title}',
    subj_session_cancelled: 'Отменено: {title}',
    subj_withdrawn: 'Регистрация отменена: {title}',
    subj_reminder: 'Напоминание: {title} начнётся {when}',
    hello: 'Здравствуйте, {name}!',
    body_confirmed: 'ваша регистрация на «{title}» ({series}) подтверждена.',
    body_waitlisted:
      'на сессию «{title}» мест нет. Вы в листе ожидания; мы напишем, как только освободится место.',
    body_promoted: 'освободилось место: ваша регистрация на «{title}» подтверждена.',
    body_updated:
      'сессия «{title}» изменилась. Актуальные данные ниже; приложенное приглашение обновит ваш календарь.',
    body_session_cancelled:
      'сессия «{title}» отменена. Приложенное обновление удалит её из вашего календаря.',
    body_withdrawn: 'ваша регистрация на «{title}» отменена.',
    body_reminder: '«{title}» начнётся {when}.',
    your_time: 'Ваше время ({zone})',
    utc: 'UTC',
    join: 'Ссылка для подключения',
    manage: 'Управлять регистрацией или отменить её, скачать или удалить ваши данные',
    calendar: 'Приложенное приглашение (invite.ics) добавит сессию в ваш календарь.',
  },
};

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
  const lang = MAIL[m.lang] ? m.lang : 'en';
  const t = translator(MAIL, lang);
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
