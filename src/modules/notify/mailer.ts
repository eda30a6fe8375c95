import nodemailer from 'nodemailer';
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';

export interface OutgoingMail {
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** An iCalendar object; sent as a text/calendar alternative with its METHOD. */
  ics?: { method: 'REQUEST' | 'CANCEL' | 'PUBLISH'; content: string };
  /**
   * An https URL that unsubscribes the recipient with one POST (RFC 8058): sent as List-Unsubscribe
   * with List-Unsubscribe-Post, so mail clients show their own unsubscribe button.
   */
  unsubscribeUrl?: string;
  /**
   * The address of the person the mail is about, when that is not the recipient (a coordinator told of
   * a comment): that person's export lists the mail and their erasure removes it.
   */
  about?: string | null;
}

/** The RFC 2369 / RFC 8058 headers of a mail that carries an unsubscribe URL. */
export function unsubscribeHeaders(url: string | undefined): Record<string, string> {
  if (!url) return {};
  return {
    'List-Unsubscribe': `<${url.replace(/[<>\s]/g, '')}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/** Sends mail over SMTP when SMTP_URL is set; otherwise keeps it in the outbox that admins can read. */
export interface Mailer {
  readonly mode: 'smtp' | 'outbox';
  send(db: Db, mail: OutgoingMail): Promise<{ id: string; status: string }>;
  close(): void;
}

export function createMailer(smtpUrl: string | undefined, from: string): Mailer {
  const transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
  return {
    mode: transport ? 'smtp' : 'outbox',
    async send(db, mail) {
      const id = newId();
      const now = new Date().toISOString();
      let status = 'outbox';
      let error: string | null = null;
      let sentAt: string | null = null;
      if (transport) {
        try {
          await transport.sendMail({
            from,
            to: mail.to,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            headers: unsubscribeHeaders(mail.unsubscribeUrl),
            icalEvent: mail.ics
              ? { method: mail.ics.method, content: mail.ics.content, filename: 'invite.ics' }
              : undefined,
          });
          status = 'sent';
          sentAt = new Date().toISOString();
        } catch (e) {
          status = 'failed';
          error = e instanceof Error ? e.message : String(e);
        }
      }
      await db
        .insertInto('mail_log')
        .values({
          id,
          kind: mail.kind,
          to_address: mail.to,
          subject: mail.subject,
          text_body: mail.text,
          html_body: mail.html ?? null,
          ics: mail.ics?.content ?? null,
          status,
          error,
          created_at: now,
          sent_at: sentAt,
          about_address: mail.about ? mail.about.trim().toLowerCase() : null,
        })
        .execute();
      return { id, status };
    },
    close() {
      transport?.close();
    },
  };
}
