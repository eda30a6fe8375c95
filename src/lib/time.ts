/** Time zones through Intl only: UTC instants in storage, the IANA zone beside them. */

const zoneCache = new Map<string, boolean>();

/** True when Intl knows the IANA zone name. */
export function isValidTimeZone(tz: string): boolean {
  if (!tz || tz.length > 64) return false;
  let ok = zoneCache.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    zoneCache.set(tz, ok);
  }
  return ok;
}

const partsFmt = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(tz: string): Intl.DateTimeFormat {
  let f = partsFmt.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFmt.set(tz, f);
  }
  return f;
}

/** Offset of `tz` from UTC at the instant `ms`, in minutes (east positive). */
export function zoneOffsetMinutes(ms: number, tz: string): number {
  const p: Record<string, number> = {};
  for (const part of partsFormatter(tz).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour === 24 ? 0 : p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The UTC instant of a wall-clock time in `tz` ("2022-03-23T14:00" in "Asia/Singapore").
 * In a gap (clocks jump forward) the time after the jump is used; in an overlap, the earlier one.
 */
export function zonedToUtc(local: string, tz: string): Date | null {
  const m = LOCAL_RE.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(wall).getUTCDate() !== d) return null;
  // The offsets a day either side bound every transition; try both and keep those that round-trip.
  const before = zoneOffsetMinutes(wall - 86400000, tz);
  const after = zoneOffsetMinutes(wall + 86400000, tz);
  const want = local.slice(0, 16);
  const fits = [before, after]
    .map((o) => wall - o * 60000)
    .filter((t) => utcToZonedLocal(new Date(t), tz) === want && new Date(t).getUTCSeconds() === s)
    .sort((a, b) => a - b);
  // In a gap nothing fits: the wall time read with the earlier offset lands after the jump.
  return new Date(fits.length ? fits[0] : wall - before * 60000);
}

/** Wall-clock "YYYY-MM-DDTHH:mm" of an instant in `tz` (for form fields). */
export function utcToZonedLocal(d: Date, tz: string): string {
  const p: Record<string, string> = {};
  for (const part of partsFormatter(tz).formatToParts(d))
    if (part.type !== 'literal') p[part.type] = part.value;
  const hour = p.hour === '24' ? '00' : p.hour;
  return `${p.year}-${p.month}-${p.day}T${hour}:${p.minute}`;
}

const displayFmt = new Map<string, Intl.DateTimeFormat>();
/** A cached Intl formatter; formatters are costly to build and the public pages use many. */
export function formatter(locale: string, tz: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${tz}|${JSON.stringify(opts)}`;
  let f = displayFmt.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: tz });
    displayFmt.set(key, f);
  }
  return f;
}

/** "Wed 23 Mar 2022, 14:00 GMT+8" style text of an instant in a zone. */
export function formatInZone(d: Date, tz: string, locale = 'en-GB'): string {
  return formatter(locale, tz, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(d);
}

/** Every IANA zone Intl knows, for pickers. */
export function allTimeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/** Canonical ISO 8601 UTC text ("2022-03-23T06:00:00.000Z"), the one codec for stored instants. */
export function toIso(d: Date | string): string {
  return (typeof d === 'string' ? new Date(d) : d).toISOString();
}
