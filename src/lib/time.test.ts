import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInZone, isValidTimeZone, utcToZonedLocal, zonedToUtc } from './time.ts';

describe('time zones', () => {
  it.each([
    ['2022-03-23T13:00', 'Asia/Singapore', '2022-03-23T05:00:00.000Z'],
    ['2022-06-01T10:00', 'America/Lima', '2022-06-01T15:00:00.000Z'],
    ['2022-06-01T10:00', 'Asia/Kolkata', '2022-06-01T04:30:00.000Z'],
    ['2022-07-27T08:30', 'Europe/Dublin', '2022-07-27T07:30:00.000Z'],
    ['2022-01-15T09:00', 'Pacific/Chatham', '2022-01-14T19:15:00.000Z'],
  ])('reads %s in %s as %s', (local, tz, utc) => {
    expect(zonedToUtc(local, tz)?.toISOString()).toBe(utc);
  });

  it('takes the earlier instant in an autumn overlap and the time after the jump in a spring gap', () => {
    expect(zonedToUtc('2022-10-30T02:30', 'Europe/Berlin')?.toISOString()).toBe('2022-10-30T00:30:00.000Z');
    expect(zonedToUtc('2022-03-27T02:30', 'Europe/Berlin')?.toISOString()).toBe('2022-03-27T01:30:00.000Z');
  });

  it('refuses dates that do not exist', () => {
    expect(zonedToUtc('2022-02-30T10:00', 'UTC')).toBeNull();
    expect(zonedToUtc('2022-13-01T10:00', 'UTC')).toBeNull();
    expect(zonedToUtc('yesterday', 'UTC')).toBeNull();
  });

  it('round-trips every minute-precise instant through wall-clock time', () => {
    const zones = [
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'America/Santiago',
      'Africa/Casablanca',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1) / 60000, max: Date.UTC(2040, 0, 1) / 60000 }),
        fc.constantFrom(...zones),
        (minute, tz) => {
          const d = new Date(minute * 60000);
          const local = utcToZonedLocal(d, tz);
          const back = zonedToUtc(local, tz)!;
          // In an overlap the earlier of the two instants comes back; both show the same wall time.
          expect(utcToZonedLocal(back, tz)).toBe(local);
          expect(back.getTime()).toBeLessThanOrEqual(d.getTime());
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('knows IANA zones and refuses made-up ones', () => {
    expect(isValidTimeZone('Africa/Lagos')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(formatInZone(new Date('2022-03-23T05:00:00Z'), 'Asia/Singapore')).toContain('13:00');
  });
});
