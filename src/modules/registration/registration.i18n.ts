type Label = Record<string, string>;

export const DEFAULT_QUESTIONS: {
  key: string;
  type: 'select' | 'text' | 'checkbox';
  required: boolean;
  label: Label;
  options?: { value: string; label: Label }[];
}[] = [
  {
    key: 'career_stage',
    type: 'select',
    required: true,
    label: {
      en: 'Career stage',
      fr: 'Étape de carrière',
      es: 'Etapa profesional',
      de: 'Karrierestufe',
      ar: 'المرحلة المهنية',
      zh: '职业阶段',
      ru: 'Этап карьеры',
    },
    options: [
      {
        value: 'new',
        label: {
          en: 'New professional',
          fr: 'Début de carrière',
          es: 'Profesional nuevo/a',
          de: 'Berufseinstieg',
          ar: 'مهني جديد',
          zh: '新入职',
          ru: 'Начало карьеры',
        },
      },
      {
        value: 'mid',
        label: {
          en: 'Mid-career',
          fr: 'Milieu de carrière',
          es: 'Mitad de carrera',
          de: 'Karrieremitte',
          ar: 'منتصف المسيرة',
          zh: '职业中期',
          ru: 'Середина карьеры',
        },
      },
      {
        value: 'senior',
        label: {
          en: 'Senior',
          fr: 'Expérimenté·e',
          es: 'Sénior',
          de: 'Erfahren',
          ar: 'خبير',
          zh: '资深',
          ru: 'Опытный специалист',
        },
      },
    ],
  },
  {
    key: 'membership',
    type: 'text',
    required: false,
    label: {
      en: 'Association membership',
      fr: 'Association dont vous êtes membre',
      es: 'Asociación de la que es miembro',
      de: 'Mitgliedschaft in einem Verband',
      ar: 'عضوية الجمعية',
      zh: '所属协会',
      ru: 'Членство в ассоциации',
    },
  },
  {
    key: 'language',
    type: 'select',
    required: false,
    label: {
      en: 'Preferred language',
      fr: 'Langue préférée',
      es: 'Idioma preferido',
      de: 'Bevorzugte Sprache',
      ar: 'اللغة المفضلة',
      zh: '首选语言',
      ru: 'Предпочитаемый язык',
    },
    options: ['ar', 'zh', 'en', 'fr', 'de', 'ru', 'es'].map((l) => ({
      value: l,
      label: { en: new Intl.DisplayNames(['en'], { type: 'language' }).of(l) ?? l },
    })),
  },
  {
    key: 'accessibility',
    type: 'text',
    required: false,
    label: {
      en: 'Accessibility needs',
      fr: 'Besoins d’accessibilité',
      es: 'Necesidades de accesibilidad',
      de: 'Barrierefreiheit: Ihre Bedürfnisse',
      ar: 'احتياجات الإتاحة',
      zh: '无障碍需求',
      ru: 'Потребности в доступности',
    },
  },
  {
    key: 'comments',
    type: 'text',
    required: false,
    label: {
      en: 'Anything else you would like to tell us',
      fr: 'Autre chose à nous dire',
      es: 'Algo más que quiera decirnos',
      de: 'Möchten Sie uns noch etwas mitteilen?',
      ar: 'أي شيء آخر تود إخبارنا به',
      zh: '其他想告诉我们的',
      ru: 'Что-нибудь ещё',
    },
  },
];

/** A label in a language, falling back to English, then to any. */
export function labelIn(label: Label, lang: string): string {
  return label[lang] ?? label.en ?? Object.values(label)[0] ?? '';
}
