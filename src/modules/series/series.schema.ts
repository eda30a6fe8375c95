import { z } from 'zod';
import { isCountryCode } from '../../lib/countries.ts';
import { isValidTimeZone } from '../../lib/time.ts';

/** The six regional divisions of the founding story: the default list of a new series. */
export const DEFAULT_REGIONS: readonly { key: string; name: string; names: Record<string, string> }[] = [
  {
    key: 'asia_oceania',
    name: 'Asia-Oceania',
    names: {
      ar: 'آسيا وأوقيانوسيا',
      de: 'Asien-Ozeanien',
      en: 'Asia-Oceania',
      es: 'Asia-Oceanía',
      fr: 'Asie-Océanie',
      ru: 'Азия и Океания',
      zh: '亚洲和大洋洲',
    },
  },
  {
    key: 'europe',
    name: 'Europe',
    names: { ar: 'أوروبا', de: 'Europa', en: 'Europe', es: 'Europa', fr: 'Europe', ru: 'Европа', zh: '欧洲' },
  },
  {
    key: 'latin_america_caribbean',
    name: 'Latin America and the Caribbean',
    names: {
      ar: 'أمريكا اللاتينية والكاريبي',
      de: 'Lateinamerika und Karibik',
      en: 'Latin America and the Caribbean',
      es: 'América Latina y el Caribe',
      fr: 'Amérique latine et Caraïbes',
      ru: 'Латинская Америка и Карибский бассейн',
      zh: '拉丁美洲和加勒比',
    },
  },
  {
    key: 'middle_east_north_africa',
    name: 'Middle East and North Africa',
    names: {
      ar: 'الشرق الأوسط وشمال أفريقيا',
      de: 'Naher Osten und Nordafrika',
      en: 'Middle East and North Africa',
      es: 'Oriente Medio y Norte de África',
      fr: 'Moyen-Orient et Afrique du Nord',
      ru: 'Ближний Восток и Северная Африка',
      zh: '中东和北非',
    },
  },
  {
    key: 'north_america',
    name: 'North America',
    names: {
      ar: 'أمريكا الشمالية',
      de: 'Nordamerika',
      en: 'North America',
      es: 'América del Norte',
      fr: 'Amérique du Nord',
      ru: 'Северная Америка',
      zh: '北美洲',
    },
  },
  {
    key: 'sub_saharan_africa',
    name: 'Sub-Saharan Africa',
    names: {
      ar: 'أفريقيا جنوب الصحراء الكبرى',
      de: 'Subsahara-Afrika',
      en: 'Sub-Saharan Africa',
      es: 'África subsahariana',
      fr: 'Afrique subsaharienne',
      ru: 'Африка к югу от Сахары',
      zh: '撒哈拉以南非洲',
    },
  },
];
export const UI_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'de', 'ru', 'es'] as const;

const code = (c: string) => ({ params: { code: c } });
const text = (label: string, max: number) =>
  z.string().trim().max(max, `${label} has at most ${max} characters.`);
const required = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `Please give ${label.toLowerCase()}.`)
    .max(max, `${label} has at most ${max} characters.`);

export const Slug = z
  .string()
  .trim()
  .min(3, 'A short name (slug) has at least 3 characters.')
  .max(60, 'A short name (slug) has at most 60 characters.')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
    message: 'Use lower-case letters, digits and single hyphens, like "leaders-2022".',
  });
export const TimeZone = z
  .string()
  .trim()
  .refine(isValidTimeZone, {
    message: 'This is not a time zone we know. Use an IANA name such as "Europe/Paris".',
    ...code('unknown_time_zone'),
  });
export const Language = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, { message: 'Use a language code such as "en" or "pt-BR".' });
export const HttpUrl = z
  .string()
  .trim()
  .max(2000, 'A link has at most 2000 characters.')
  .refine((u) => /^https?:\/\/[^\s]+$/i.test(u) && URL.canParse(u), {
    message: 'Give a full link starting with https://.',
    ...code('invalid_url'),
  });
const optionalUrl = z.union([HttpUrl, z.literal('').transform(() => null), z.null()]).optional();

export const RegionIn = z.object({
  key: z
    .string()
    .trim()
    .min(1, 'Each region needs a key.')
    .max(64, 'A region key has at most 64 characters.')
    .regex(/^[a-z0-9_]+$/, 'A region key uses lower-case letters, digits and underscores.'),
  name: required('Region name', 120),
  /** The name in other languages (language code → name); left out, the stored translations stay. */
  names: z.record(Language, text('A translated region name', 120)).optional(),
});
export const RegionsBody = z.object({
  regions: z
    .array(RegionIn)
    .min(1, 'A series needs at least one region.')
    .max(50, 'A series has at most 50 regions.')
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((r, i) => {
        if (seen.has(r.key))
          ctx.addIssue({
            code: 'custom',
            message: `The region key "${r.key}" is used twice.`,
            path: [i, 'key'],
            params: { code: 'duplicate_region' },
          });
        seen.add(r.key);
      });
    }),
});

const seriesFields = {
  title: required('Title', 200),
  description: text('Description', 10_000).default(''),
  guidingQuestions: z
    .array(required('A guiding question', 500))
    .max(20, 'A series has at most 20 guiding questions.')
    .default([]),
  languages: z.array(Language).min(1, 'Choose at least one language.').max(20).default(['en']),
  timeZone: TimeZone.default('UTC'),
  registrationMode: z.enum(['series', 'session', 'choose']).default('series'),
  retentionDays: z.coerce
    .number()
    .int()
    .min(1, 'Keep data at least one day.')
    .max(3650, 'Keep data at most ten years.')
    .default(730),
  status: z.enum(['draft', 'published']).default('draft'),
};
export const SeriesCreateBody = z.object({
  slug: Slug,
  ...seriesFields,
  regions: RegionsBody.shape.regions.optional(),
});
export const SeriesUpdateBody = z.object({
  slug: Slug.optional(),
  title: seriesFields.title.optional(),
  description: text('Description', 10_000).optional(),
  guidingQuestions: z.array(required('A guiding question', 500)).max(20).optional(),
  languages: z.array(Language).min(1, 'Choose at least one language.').max(20).optional(),
  timeZone: TimeZone.optional(),
  registrationMode: z.enum(['series', 'session', 'choose']).optional(),
  retentionDays: z.coerce.number().int().min(1).max(3650).optional(),
  status: z.enum(['draft', 'published']).optional(),
});

/** ISO 8601 with an offset ("…Z", "…+02:00") is an instant; without one it is wall-clock time in `timeZone`. */
export const DateTimeIn = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/, {
    message: 'Give a date and time like 2026-03-23T14:00.',
    ...code('invalid_datetime'),
  });

const sessionFields = {
  regionKey: z.string().trim().max(64).nullable().optional(),
  title: required('Title', 200),
  description: text('Description', 10_000).default(''),
  startsAt: DateTimeIn,
  endsAt: DateTimeIn,
  timeZone: TimeZone,
  language: Language.default('en'),
  videoUrl: optionalUrl,
  videoPublic: z.boolean().optional().describe('Show the video link on the public session page'),
  capacity: z
    .union([z.coerce.number().int().min(1, 'Capacity is at least 1.').max(1_000_000), z.null()])
    .optional(),
};
export const SessionCreateBody = z.object(sessionFields);
export const SessionUpdateBody = z.object({
  regionKey: sessionFields.regionKey,
  title: sessionFields.title.optional(),
  description: text('Description', 10_000).optional(),
  startsAt: DateTimeIn.optional(),
  endsAt: DateTimeIn.optional(),
  timeZone: TimeZone.optional(),
  language: Language.optional(),
  videoUrl: optionalUrl,
  videoPublic: sessionFields.videoPublic,
  capacity: sessionFields.capacity,
  status: z.enum(['scheduled', 'cancelled']).optional(),
});

export const OrganisationBody = z.object({
  name: required('Name', 200),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, {
      message: 'Use a two-letter country code such as "NG".',
      ...code('unknown_country'),
    })
    .refine(isCountryCode, {
      message:
        'This is not an ISO 3166 country code. Choose a country from the list, such as "NG" (Nigeria).',
      ...code('unknown_country'),
    })
    .nullable()
    .optional()
    .or(z.literal('').transform(() => null)),
  website: optionalUrl,
});
export const PersonBody = z.object({
  name: required('Name', 120),
  email: z
    .union([
      z.literal('').transform(() => null),
      z.email({ message: 'This is not an e-mail address.' }).max(254),
      z.null(),
    ])
    .optional(),
  affiliation: text('Affiliation', 200).default(''),
  organisationId: z.string().max(64).nullable().optional(),
  bio: text('Bio', 5000).default(''),
});
export const PresentationBody = z.object({
  title: required('Title', 300),
  abstract: text('Abstract', 10_000).default(''),
  slidesUrl: optionalUrl,
  organisationId: z.string().max(64).nullable().optional(),
  presenterIds: z.array(z.string().max(64)).max(20).default([]),
});

// ---- responses ----
export const RegionOut = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string().describe('the source name, or the name in the asked language on pages'),
  names: z.record(z.string(), z.string()).describe('the name in other languages, by language code'),
  position: z.number(),
});
export const SessionOut = z.object({
  id: z.string(),
  seriesId: z.string(),
  region: RegionOut.nullable(),
  title: z.string(),
  description: z.string(),
  startsAt: z.string().describe('ISO 8601 UTC instant'),
  endsAt: z.string().describe('ISO 8601 UTC instant'),
  timeZone: z.string().describe('IANA time zone of the organisers'),
  language: z.string(),
  videoUrl: z.string().nullable(),
  videoPublic: z.boolean(),
  capacity: z.number().nullable(),
  status: z.string(),
  sequence: z.number(),
  url: z.string().describe('path of the public session page'),
});
export const PersonOut = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable().optional(),
  affiliation: z.string(),
  organisationId: z.string().nullable(),
  bio: z.string(),
});
export const OrganisationOut = z.object({
  id: z.string(),
  name: z.string(),
  country: z.string().nullable(),
  website: z.string().nullable(),
});
export const PresentationOut = z.object({
  id: z.string(),
  sessionId: z.string(),
  title: z.string(),
  abstract: z.string(),
  slidesUrl: z.string().nullable(),
  organisationId: z.string().nullable(),
  position: z.number(),
  presenters: z.array(PersonOut),
});
export const SeriesSummaryOut = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  status: z.string(),
  timeZone: z.string(),
  languages: z.array(z.string()),
  url: z.string(),
});
export const SeriesOut = SeriesSummaryOut.extend({
  guidingQuestions: z.array(z.string()),
  registrationMode: z.string(),
  retentionDays: z.number(),
  regions: z.array(RegionOut),
  sessions: z.array(SessionOut.extend({ presentations: z.array(PresentationOut) })),
});

export type SeriesCreateInput = z.infer<typeof SeriesCreateBody>;
export type SeriesUpdateInput = z.infer<typeof SeriesUpdateBody>;
export type SessionCreateInput = z.infer<typeof SessionCreateBody>;
export type SessionUpdateInput = z.infer<typeof SessionUpdateBody>;
export type OrganisationInput = z.infer<typeof OrganisationBody>;
export type PersonInput = z.infer<typeof PersonBody>;
export type PresentationInput = z.infer<typeof PresentationBody>;
export type RegionInput = z.infer<typeof RegionIn>;
