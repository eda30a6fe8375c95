import { describe, expect, it } from 'vitest';
import { registrationMail } from './templates.ts';

const session = {
  title: 'Latin America and the Caribbean',
  seriesTitle: 'Empowering Library Leaders',
  startsAt: '2022-04-20T15:00:00.000Z',
  endsAt: '2022-04-20T16:30:00.000Z',
  joinUrl: 'https://colloquy.example.org/series/leaders/sessions/1',
};

describe('registration e-mails', () => {
  it('shows the time in the registrant zone and in UTC, in their language (snapshot)', () => {
    const mail = registrationMail({
      kind: 'confirmed',
      lang: 'fr',
      name: 'Lucía',
      timeZone: 'America/Lima',
      session,
      manageUrl: 'https://colloquy.example.org/registrations/TOKEN',
    });
    expect(mail.subject).toBe('Inscription confirmée : Latin America and the Caribbean');
    expect(mail.text).toContain('10:00');
    expect(mail.text).toContain('15:00');
    expect(mail.text).toMatchSnapshot();
  });

  it('has the key strings in the seven languages', () => {
    const subjects = ['en', 'fr', 'es', 'de', 'ar', 'zh', 'ru'].map(
      (lang) => registrationMail({ kind: 'confirmed', lang, name: 'X', timeZone: 'UTC', session }).subject,
    );
    expect(new Set(subjects).size).toBe(7);
    const reminder = registrationMail({
      kind: 'reminder',
      lang: 'de',
      name: 'X',
      timeZone: 'Europe/Berlin',
      session,
      offsetMinutes: 1440,
    });
    expect(reminder.subject).toBe('Erinnerung: Latin America and the Caribbean beginnt in 24 Stunden');
    expect(
      registrationMail({ kind: 'confirmed', lang: 'ar', name: 'X', timeZone: 'UTC', session }).html,
    ).toContain('dir="rtl"');
  });
});
