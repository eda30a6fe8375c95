import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, icsCalendar, type IcsEvent } from './ics.ts';

const event: IcsEvent = {
  uid: '0190a1b2-0000-7000-8000-000000000001-0190a1b2-0000-7000-8000-000000000002@colloquy.example.org',
  sequence: 3,
  stamp: '2022-03-01T12:00:00.000Z',
  start: '2022-03-23T05:00:00.000Z',
  end: '2022-03-23T06:30:00.000Z',
  summary: 'Asia-Oceania: leaders, mentors; and "coaches", \\ all',
  description:
    'Line one\nLine two, with a comma; and a semicolon.\nПривет, 你好, مرحبا — a long line of text that must be folded at seventy-five octets without breaking UTF-8.',
  url: 'https://colloquy.example.org/series/leaders-2022/sessions/1',
  location: 'https://video.example.org/leaders-2022',
  organizer: { name: 'Empowering Library Leaders', email: 'colloquy@example.org' },
  attendee: { name: 'Lucía "Lu" Paredes', email: 'lucia@example.org' },
};

const parse = (text: string) => new ICAL.Component(ICAL.parse(text) as unknown[]);

describe('ICS writer (RFC 5545/5546)', () => {
  it('writes an invitation calendars accept (snapshot)', () => {
    expect(icsCalendar('REQUEST', [event])).toMatchSnapshot();
  });

  it('uses CRLF, folds every line at 75 octets and keeps UTF-8 characters whole', () => {
    const text = icsCalendar('REQUEST', [event]);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(text).not.toContain('\uFFFD');
    const folded = foldLine('DESCRIPTION:' + 'é'.repeat(100));
    expect(folded.split('\r\n ').join('')).toBe('DESCRIPTION:' + 'é'.repeat(100));
  });

  it('escapes commas, semicolons, backslashes and newlines, and ical.js reads the values back', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const comp = parse(icsCalendar('REQUEST', [event]));
    expect(comp.getFirstPropertyValue('method')).toBe('REQUEST');
    const ev = new ICAL.Event(comp.getFirstSubcomponent('vevent')!);
    expect(ev.uid).toBe(event.uid);
    expect(ev.sequence).toBe(3);
    expect(ev.summary).toBe(event.summary);
    expect(ev.description).toBe(event.description);
    expect(ev.startDate.toJSDate().toISOString()).toBe('2022-03-23T05:00:00.000Z');
    expect(ev.endDate.toJSDate().toISOString()).toBe('2022-03-23T06:30:00.000Z');
    expect(ev.startDate.zone.tzid).toBe('UTC');
    expect(ev.location).toBe(event.location);
  });

  it('writes a CANCEL with STATUS:CANCELLED and a PUBLISH feed with many events', () => {
    const cancel = parse(icsCalendar('CANCEL', [event]));
    expect(cancel.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(cancel.getFirstSubcomponent('vevent')!.getFirstPropertyValue('status')).toBe('CANCELLED');
    const feed = parse(
      icsCalendar('PUBLISH', [event, { ...event, uid: 'other@x' }], { name: 'Leaders; 2022' }),
    );
    expect(feed.getAllSubcomponents('vevent')).toHaveLength(2);
    expect(String(feed.getFirstPropertyValue('x-wr-calname'))).toContain('Leaders');
    expect(() => icsCalendar('REQUEST', [event, event])).toThrow();
  });
});
