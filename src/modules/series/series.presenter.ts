import type { Database } from '../../db/index.ts';
import { translate } from '../../lib/translations.ts';
import { regionTranslations } from './series.labels.ts';

type SeriesRow = Database['series'];
type RegionRow = Database['region'];
type SessionRow = Database['session'];
type PersonRow = Database['person'];
type OrgRow = Database['organisation'];
type PresentationRow = Database['presentation'];

export const seriesPath = (slug: string) => `/series/${slug}`;
export const sessionPath = (slug: string, sessionId: string) => `/series/${slug}/sessions/${sessionId}`;

/** A region: with `lang`, `name` is the name in that language (pages); without, the source name (API). */
export function presentRegion(r: RegionRow, lang?: string) {
  const names = regionTranslations(r);
  return {
    id: r.id,
    key: r.key,
    name: lang ? translate(r.name, names, lang) : r.name,
    names,
    position: r.position,
  };
}

export function presentSeriesSummary(s: SeriesRow) {
  return {
    id: s.id,
    slug: s.slug,
    title: s.title,
    description: s.description,
    status: s.status,
    timeZone: s.time_zone,
    languages: JSON.parse(s.languages) as string[],
    url: seriesPath(s.slug),
  };
}

/**
 * A session as the API and pages show it. The video link is for the team and for registrants (on
 * their join page); everyone else sees it only when the coordinator marked it public.
 */
export function presentSession(
  s: SessionRow,
  series: Pick<SeriesRow, 'slug'>,
  regions: Map<string, RegionRow>,
  team = false,
  lang?: string,
) {
  const region = s.region_id ? regions.get(s.region_id) : undefined;
  return {
    id: s.id,
    seriesId: s.series_id,
    region: region ? presentRegion(region, lang) : null,
    title: s.title,
    description: s.description,
    startsAt: s.starts_at,
    endsAt: s.ends_at,
    timeZone: s.time_zone,
    language: s.language,
    videoUrl: team || Number(s.video_public) === 1 ? s.video_url : null,
    videoPublic: Number(s.video_public) === 1,
    capacity: s.capacity,
    status: s.status,
    sequence: s.sequence,
    url: sessionPath(series.slug, s.id),
  };
}

/** Presenters' e-mail addresses are shown only to the people who plan the series. */
export function presentPerson(
  p: Pick<PersonRow, 'id' | 'name' | 'email' | 'affiliation' | 'organisation_id' | 'bio'>,
  withEmail = false,
) {
  return {
    id: p.id,
    name: p.name,
    ...(withEmail ? { email: p.email } : {}),
    affiliation: p.affiliation,
    organisationId: p.organisation_id,
    bio: p.bio,
  };
}

export function presentOrganisation(o: OrgRow) {
  return { id: o.id, name: o.name, country: o.country, website: o.website };
}

export function presentPresentation(p: PresentationRow, presenters: ReturnType<typeof presentPerson>[]) {
  return {
    id: p.id,
    sessionId: p.session_id,
    title: p.title,
    abstract: p.abstract,
    slidesUrl: p.slides_url,
    organisationId: p.organisation_id,
    position: p.position,
    presenters,
  };
}
