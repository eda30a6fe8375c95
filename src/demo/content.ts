/**
 * The demo's words. Associations and people are invented for the demo; the series follows the
 * story Colloquy comes from (a six-part worldwide series on library leadership, March–June 2022).
 */
export interface DemoSession {
  region: string;
  title: string;
  description: string;
  /** Wall-clock start in `timeZone` (founding series) or day offset and local hour (upcoming). */
  start: string;
  minutes: number;
  timeZone: string;
  language: string;
  presentations: { title: string; abstract: string; organisation: string; people: string[] }[];
}

export const ORGANISATIONS = [
  { key: 'apla', name: 'Asia-Pacific Librarians Association', country: 'SG' },
  { key: 'vbe', name: 'Vereniging van Bibliothecarissen Europa', country: 'NL' },
  { key: 'rbla', name: 'Red de Bibliotecarios de Latinoamérica', country: 'CO' },
  { key: 'alma', name: 'Arab Library Managers Association', country: 'EG' },
  { key: 'nalc', name: 'North American Library Leadership Council', country: 'CA' },
  { key: 'wala', name: 'West and East African Library Association', country: 'NG' },
];

export const PEOPLE = [
  {
    key: 'mei',
    name: 'Mei Lin Tan',
    affiliation: 'Asia-Pacific Librarians Association',
    org: 'apla',
    bio: 'Runs the association’s mentoring scheme for new professionals across twelve countries; formerly head of a university library in Kuala Lumpur.',
  },
  {
    key: 'aroha',
    name: 'Aroha Williams',
    affiliation: 'Asia-Pacific Librarians Association',
    org: 'apla',
    bio: 'Public library manager in Wellington and chair of the association’s Indigenous leadership working group.',
  },
  {
    key: 'jan',
    name: 'Jan de Vries',
    affiliation: 'Vereniging van Bibliothecarissen Europa',
    org: 'vbe',
    bio: 'Coordinates a European peer-coaching network for first-time library directors.',
  },
  {
    key: 'ines',
    name: 'Inés Carrillo',
    affiliation: 'Red de Bibliotecarios de Latinoamérica',
    org: 'rbla',
    bio: 'Librarian in Bogotá who built a regional volunteer programme that gives early-career staff association roles.',
  },
  {
    key: 'omar',
    name: 'Omar Haddad',
    affiliation: 'Arab Library Managers Association',
    org: 'alma',
    bio: 'Leads continuing education for library managers in Egypt and Jordan; works on Arabic-language training materials.',
  },
  {
    key: 'claire',
    name: 'Claire Fontaine',
    affiliation: 'North American Library Leadership Council',
    org: 'nalc',
    bio: 'Directs a leadership institute for mid-career librarians in Montréal, in English and French.',
  },
  {
    key: 'ada',
    name: 'Adaeze Okafor',
    affiliation: 'West and East African Library Association',
    org: 'wala',
    bio: 'Academic librarian in Lagos who started a remote mentoring circle that works over low-bandwidth connections.',
  },
  {
    key: 'kofi',
    name: 'Kofi Mensah',
    affiliation: 'West and East African Library Association',
    org: 'wala',
    bio: 'Trains association leaders in Accra and Nairobi on advocacy and leading through crises.',
  },
];

export const FOUNDING = {
  slug: 'library-leaders-2022',
  title: 'Empowering Library Leaders and Diversity Worldwide (2022)',
  description:
    'Six webinars, one per regional division, from March to June 2022. National library associations present the leadership opportunities they offer new and senior librarians and how they foster diversity.\n\nIn each webinar the hosts ask attendees for best practices, recommendations and needs. The findings are compared across the regions and carried into an open session at the world congress.',
  guidingQuestions: [
    'How do countries define leadership?',
    'How can new professionals be supported into leadership?',
    'How can leadership be open, inclusive and diverse?',
  ],
  languages: ['en', 'fr', 'es', 'ar', 'zh', 'ru', 'de'],
  timeZone: 'Europe/Brussels',
};

export const FOUNDING_SESSIONS: DemoSession[] = [
  {
    region: 'asia_oceania',
    title: 'Leadership in Asia-Oceania',
    description: 'How associations in Asia and Oceania bring new professionals into leadership.',
    start: '2022-03-23T13:00',
    minutes: 90,
    timeZone: 'Asia/Singapore',
    language: 'en',
    presentations: [
      {
        title: 'A mentoring scheme across twelve countries',
        abstract: 'What five years of pairing new and senior librarians taught us.',
        organisation: 'apla',
        people: ['mei'],
      },
      {
        title: 'Indigenous leadership in libraries',
        abstract: 'Growing leaders who reflect their communities.',
        organisation: 'apla',
        people: ['aroha'],
      },
    ],
  },
  {
    region: 'europe',
    title: 'Leadership in Europe',
    description: 'Peer coaching and leadership programmes of European associations.',
    start: '2022-04-06T14:00',
    minutes: 90,
    timeZone: 'Europe/Brussels',
    language: 'en',
    presentations: [
      {
        title: 'Peer coaching for first-time directors',
        abstract: 'Small groups, monthly, for two years.',
        organisation: 'vbe',
        people: ['jan'],
      },
    ],
  },
  {
    region: 'latin_america_caribbean',
    title: 'Liderazgo en América Latina y el Caribe',
    description: 'Voluntariado en asociaciones como escuela de liderazgo.',
    start: '2022-04-27T10:00',
    minutes: 90,
    timeZone: 'America/Bogota',
    language: 'es',
    presentations: [
      {
        title: 'El voluntariado como escuela de liderazgo',
        abstract: 'Roles reales en la asociación para profesionales jóvenes.',
        organisation: 'rbla',
        people: ['ines'],
      },
    ],
  },
  {
    region: 'middle_east_north_africa',
    title: 'Leadership in the Middle East and North Africa',
    description: 'Training library managers in Arabic.',
    start: '2022-05-11T12:00',
    minutes: 90,
    timeZone: 'Africa/Cairo',
    language: 'ar',
    presentations: [
      {
        title: 'Leadership training in Arabic',
        abstract: 'Building a curriculum in the language people work in.',
        organisation: 'alma',
        people: ['omar'],
      },
    ],
  },
  {
    region: 'north_america',
    title: 'Leadership in North America',
    description: 'Leadership institutes and diversity in recruitment.',
    start: '2022-05-18T13:00',
    minutes: 90,
    timeZone: 'America/Toronto',
    language: 'en',
    presentations: [
      {
        title: 'A bilingual leadership institute',
        abstract: 'Ten cohorts of mid-career librarians, in English and French.',
        organisation: 'nalc',
        people: ['claire'],
      },
    ],
  },
  {
    region: 'sub_saharan_africa',
    title: 'Leadership in Sub-Saharan Africa',
    description: 'Mentoring circles and leading through crises.',
    start: '2022-06-15T12:00',
    minutes: 90,
    timeZone: 'Africa/Lagos',
    language: 'en',
    presentations: [
      {
        title: 'Mentoring circles on low bandwidth',
        abstract: 'Voice notes, SMS and monthly calls.',
        organisation: 'wala',
        people: ['ada'],
      },
      {
        title: 'Leading in times of crisis',
        abstract: 'What association leaders learned from closures and floods.',
        organisation: 'wala',
        people: ['kofi'],
      },
    ],
  },
];

export const UPCOMING = {
  slug: 'library-leaders-next',
  title: 'Library Leaders Worldwide: the next conversation',
  description:
    'A new round of regional webinars building on the 2022 findings. Join from any phone, answer in your own language, and see how the regions compare.',
  guidingQuestions: [
    'What helped you take your first leadership role?',
    'What should associations do next for new professionals?',
  ],
  languages: ['en', 'fr', 'es', 'ar', 'zh', 'ru', 'de'],
  timeZone: 'UTC',
};

/** [region, days after seeding, local hour, zone, title, language] */
export const UPCOMING_SESSIONS: [string, number, number, string, string, string][] = [
  ['asia_oceania', 14, 13, 'Australia/Sydney', 'Asia-Oceania: mentoring that lasts', 'en'],
  ['europe', 21, 14, 'Europe/Berlin', 'Europe: coaching new directors', 'en'],
  ['latin_america_caribbean', 28, 11, 'America/Lima', 'América Latina y el Caribe: liderar en crisis', 'es'],
  [
    'middle_east_north_africa',
    35,
    13,
    'Asia/Dubai',
    'Middle East and North Africa: training in Arabic',
    'ar',
  ],
  ['north_america', 42, 12, 'America/Chicago', 'North America: inclusive recruitment', 'en'],
  ['sub_saharan_africa', 49, 12, 'Africa/Nairobi', 'Sub-Saharan Africa: leading with little bandwidth', 'en'],
];
