import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.ts';
import { AppError } from '../../lib/errors.ts';
import { DIALECT, testDb } from '../../../test/support/db.ts';
import { grant, makeAccount, makeSeries, makeSession } from '../../../test/support/factories.ts';
import { regionLabels } from './series.labels.ts';
import {
  createSession,
  replaceRegions,
  seriesDetail,
  setRegionNames,
  updateSession,
} from './series.service.ts';

let h: DbHandle;
beforeAll(async () => {
  h = await testDb();
});
afterAll(async () => h.close());

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof AppError) return `${e.status} ${e.code}${e.field ? ` ${e.field}` : ''}`;
    throw e;
  }
};

describe(`series planning (${DIALECT})`, () => {
  it('stores a session entered in Singapore wall-clock time as the right UTC instant', async () => {
    const s = await makeSeries(h.db);
    const id = await createSession(h.db, s.admin, s.id, {
      regionKey: 'asia_oceania',
      title: 'Asia',
      description: '',
      startsAt: '2022-03-23T13:00',
      endsAt: '2022-03-23T14:30',
      timeZone: 'Asia/Singapore',
      language: 'en',
    });
    const d = await seriesDetail(h.db, null, s.slug);
    const sess = d.sessions.find((x) => x.id === id)!;
    expect(sess.startsAt).toBe('2022-03-23T05:00:00.000Z');
    expect(sess.endsAt).toBe('2022-03-23T06:30:00.000Z');
    expect(sess.timeZone).toBe('Asia/Singapore');
    expect(sess.region?.key).toBe('asia_oceania');
    expect(sess.url).toBe(`/series/${s.slug}/sessions/${id}`);
  });

  it('refuses a session that ends before it starts, and saves nothing', async () => {
    const s = await makeSeries(h.db);
    expect(
      await code(
        createSession(h.db, s.admin, s.id, {
          regionKey: 'europe',
          title: 'Backwards',
          description: '',
          startsAt: '2026-03-23T13:00',
          endsAt: '2026-03-23T12:00',
          timeZone: 'Europe/Paris',
          language: 'en',
        }),
      ),
    ).toBe('422 session_ends_before_start endsAt');
    expect((await seriesDetail(h.db, null, s.id)).sessions).toHaveLength(0);
  });

  it('lets a co-organiser of Europe edit Europe but not the Asia-Oceania session', async () => {
    const s = await makeSeries(h.db);
    const europe = await makeSession(h.db, s, { regionKey: 'europe' });
    const asia = await makeSession(h.db, s, { regionKey: 'asia_oceania' });
    const co = await grant(h.db, await makeAccount(h.db), s.id, 'co_organiser', s.region('europe').id);
    expect(await code(updateSession(h.db, co, europe, { title: 'Europe, renamed' }))).toBe('ok');
    expect(await code(updateSession(h.db, co, asia, { title: 'Hijacked' }))).toBe('403 forbidden');
    expect(await code(updateSession(h.db, co, europe, { regionKey: 'asia_oceania' }))).toBe('403 forbidden');
  });

  it('raises the sequence when time, link or title change, not for a description', async () => {
    const s = await makeSeries(h.db);
    const id = await makeSession(h.db, s);
    await updateSession(h.db, s.admin, id, { description: 'more words' });
    let d = await seriesDetail(h.db, null, s.id);
    expect(d.sessions[0].sequence).toBe(0);
    await updateSession(h.db, s.admin, id, { startsAt: '2030-01-01T10:00', endsAt: '2030-01-01T11:00' });
    await updateSession(h.db, s.admin, id, { videoUrl: 'https://video.example.org/new' });
    d = await seriesDetail(h.db, null, s.id);
    expect(d.sessions[0].sequence).toBe(2);
    expect(d.sessions[0].startsAt).toBe('2030-01-01T09:00:00.000Z');
  });

  it('hides a draft series from the public but shows it to its team', async () => {
    const s = await makeSeries(h.db, { status: 'draft' });
    expect(await code(seriesDetail(h.db, null, s.slug))).toBe('404 not_found id');
    const presenter = await grant(h.db, await makeAccount(h.db), s.id, 'presenter');
    expect((await seriesDetail(h.db, presenter, s.slug)).id).toBe(s.id);
  });

  it('names regions in the reader’s language: entered names, built-in ones for default regions, else the source', async () => {
    const s = await makeSeries(h.db);
    await replaceRegions(h.db, s.admin, s.id, [
      { key: 'europe', name: 'Europe' },
      { key: 'asia_oceania', name: 'Asia and the Pacific' },
      { key: 'andes', name: 'Andean countries', names: { es: 'Países andinos' } },
    ]);
    await setRegionNames(h.db, s.admin, s.id, { asia_oceania: { ar: 'آسيا والمحيط الهادئ' } });
    const ar = await regionLabels(h.db, s.id, 'ar');
    expect(ar('europe')).toBe('أوروبا'); // a default region keeps its built-in translations
    expect(ar('asia_oceania')).toBe('آسيا والمحيط الهادئ'); // renamed: only its own translation
    expect(ar('andes')).toBe('Andean countries'); // not translated: the source name
    expect(ar('north_america')).toBe('أمريكا الشمالية'); // a default key that is no region of the series
    expect(ar('Somewhere typed')).toBe('Somewhere typed');
    expect((await regionLabels(h.db, s.id, 'es'))('andes')).toBe('Países andinos');
    expect((await regionLabels(h.db, s.id, 'zh'))('asia_oceania')).toBe('Asia and the Pacific');

    const page = await seriesDetail(h.db, null, s.slug, 'fr');
    expect(page.regions.map((r) => r.name)).toEqual(['Europe', 'Asia and the Pacific', 'Andean countries']);
    const api = await seriesDetail(h.db, null, s.slug);
    expect(api.regions.find((r) => r.key === 'asia_oceania')?.names).toEqual({ ar: 'آسيا والمحيط الهادئ' });
    // Saving the list again without translations keeps them.
    await replaceRegions(h.db, s.admin, s.id, [{ key: 'andes', name: 'Andean countries' }]);
    expect((await regionLabels(h.db, s.id, 'es'))('andes')).toBe('Países andinos');
  });

  it('stores the built-in translations of the default regions with a new series, and refuses long names', async () => {
    const s = await makeSeries(h.db);
    const names = JSON.parse(s.region('sub_saharan_africa').names) as Record<string, string>;
    expect(names).toMatchObject({
      ar: 'أفريقيا جنوب الصحراء الكبرى',
      zh: '撒哈拉以南非洲',
      ru: 'Африка к югу от Сахары',
    });
    expect(await code(setRegionNames(h.db, s.admin, s.id, { europe: { de: 'x'.repeat(121) } }))).toBe(
      '422 name_too_long name_europe_de',
    );
    expect(await code(setRegionNames(h.db, s.admin, s.id, { atlantis: { de: 'Atlantis' } }))).toBe(
      '422 unknown_region regions',
    );
    const co = await grant(h.db, await makeAccount(h.db), s.id, 'co_organiser', s.region('europe').id);
    expect(await code(setRegionNames(h.db, co, s.id, { europe: { de: 'Europa' } }))).toBe('403 forbidden');
  });
});
