import type { Codebook } from './codebook.ts';

type Terms = Record<'ar' | 'zh' | 'en' | 'fr' | 'de' | 'ru' | 'es' | 'pt', string[]>;

interface DefaultTheme {
  id: string;
  label: string;
  description: string;
  terms: Terms;
}

// Seed terms for professional development and leadership in the libraries field. Each list favours
// what people actually write (colloquial forms, common compounds) over dictionary headwords; terms
// that collide with another theme's everyday vocabulary are written as phrases (French "équipe" and
// Spanish "equipo" mean team, so equipment is always "IT equipment", "équipement informatique"…).
// One line per language keeps this table readable (and the file under 400 lines).
// prettier-ignore
const THEMES: DefaultTheme[] = [
  {
    id: 'mentoring',
    label: 'Mentoring',
    description: 'An experienced professional guides a less experienced colleague over a period of time.',
    terms: {
      en: ['mentor', 'mentoring', 'mentorship', 'mentee', 'protégé', 'under her wing', 'under his wing', 'guided me', 'experienced colleague', 'showed me the ropes', 'buddy system', 'role model'],
      fr: ['mentor', 'mentorat', 'tutorat', 'tuteur', 'tutrice', 'marraine', 'parrain', 'parrainage', 'collègue expérimentée', 'collègue expérimenté', 'un ancien', 'aînés'],
      de: ['Mentor', 'Mentorin', 'Mentoring', 'Mentoringprogramm', 'Patenschaft', 'Patenschaften', 'Patin', 'erfahrene Kollegin', 'erfahrener Kollege', 'Ansprechperson'],
      ru: ['наставник', 'наставница', 'наставничество', 'ментор', 'менторство', 'опытная коллега', 'опытный коллега', 'подопечный'],
      es: ['mentor', 'mentora', 'mentoría', 'tutor', 'tutora', 'tutoría', 'madrinas', 'padrinos', 'me guió', 'colega con experiencia', 'acompañamiento de una colega'],
      pt: ['mentor', 'mentora', 'mentoria', 'tutor', 'tutoria', 'padrinho', 'madrinha', 'colega sénior', 'colega sênior', 'acompanha-me', 'apadrinhamento'],
      ar: ['إرشاد', 'الإرشاد', 'مرشد', 'مرشدة', 'موجه', 'زميلة قديمة', 'زميل قديم', 'مرجعي'],
      zh: ['导师', '师傅', '带教', '传帮带', '老带新', '一对一指导', '前辈'],
    },
  },
  {
    id: 'coaching',
    label: 'Coaching',
    description: 'A trained coach helps a person reach specific goals through structured individual or group sessions.',
    terms: {
      en: ['coach', 'coaching', 'executive coaching', 'career coach', 'coaching sessions'],
      fr: ['coach', 'coachs', 'coaching', 'accompagnement individuel'],
      de: ['Coach', 'Coachin', 'Coaching', 'Einzelcoaching'],
      ru: ['коуч', 'коучинг', 'коуч-сессия'],
      es: ['coach', 'coaching', 'coaching grupal'],
      pt: ['coach', 'coaching', 'processo de coaching'],
      ar: ['كوتش', 'كوتشينغ', 'كوتشينج', 'مدربة كوتشينغ', 'مدرب شخصي'],
      zh: ['教练', '教练技术', '高管教练', '辅导'],
    },
  },
  {
    id: 'networking',
    label: 'Networking',
    description: 'Building professional contacts and relationships with colleagues in other libraries and institutions.',
    terms: {
      en: ['networking', 'network', 'professional network', 'contacts', 'connections', 'meeting librarians', 'meet colleagues'],
      fr: ['réseau', 'réseautage', 'réseaux professionnels', 'rencontrer des collègues'],
      de: ['Netzwerk', 'Netzwerken', 'Vernetzung', 'Kontakte knüpfen'],
      ru: ['нетворкинг', 'профессиональная сеть', 'профессиональные связи', 'знакомства'],
      es: ['red de contactos', 'networking', 'contactos', 'red de bibliotecarios'],
      pt: ['rede de contatos', 'rede de contactos', 'networking', 'contatos'],
      ar: ['شبكة علاقات', 'التشبيك', 'علاقات مهنية', 'شبكة مهنية'],
      zh: ['人脉', '结识同行', '交流网络', '同行网络'],
    },
  },
  {
    id: 'conference_participation',
    label: 'Conferences',
    description: 'Attending or presenting at conferences and similar professional events.',
    terms: {
      en: ['conference', 'conferences', 'congress', 'symposium', 'annual meeting', 'presenting a paper', 'poster session'],
      fr: ['conférence', 'congrès', 'colloque', 'journées professionnelles'],
      de: ['Konferenz', 'Kongress', 'Tagung', 'Bibliothekartag'],
      ru: ['конференция', 'конгресс', 'съезд', 'форум'],
      es: ['conferencia', 'congreso', 'jornadas profesionales'],
      pt: ['conferência', 'congresso', 'seminário'],
      ar: ['مؤتمر', 'المؤتمر', 'مؤتمرات', 'ملتقى', 'ندوة'],
      zh: ['会议', '大会', '年会', '研讨会'],
    },
  },
  {
    id: 'association_volunteering',
    label: 'Volunteering',
    description: 'Taking an unpaid role in the work of an association to gain leadership experience.',
    terms: {
      en: ['volunteer', 'volunteering', 'association board', 'committee member', 'chairing', 'serve on a committee', 'board member'],
      fr: ['bénévolat', 'bénévole', 'vie associative', "comité de l'association", 'engagement associatif'],
      de: ['Ehrenamt', 'ehrenamtlich', 'Vorstandsarbeit', 'Verbandsarbeit', 'Vorstand'],
      ru: ['волонтёр', 'волонтерство', 'общественная работа', 'работа в ассоциации'],
      es: ['voluntariado', 'voluntario', 'voluntaria', 'junta directiva', 'comisión de la asociación'],
      pt: ['voluntariado', 'voluntário', 'voluntária', 'direção da associação'],
      ar: ['تطوع', 'التطوع', 'متطوع', 'متطوعة', 'لجان الجمعية'],
      zh: ['志愿者', '志愿服务', '理事会', '学会工作'],
    },
  },
  {
    id: 'peer_learning',
    label: 'Peer learning',
    description: 'Colleagues at a similar career stage learning from each other.',
    terms: {
      en: ['peer learning', 'peers', 'learn from each other', 'teach each other', 'reading group', 'community of practice', 'peer support', 'study group', 'learning circle', 'share experiences'],
      fr: ['apprentissage entre pairs', 'entre pairs', "s'entraider", "groupe d'échange", 'communauté de pratique'],
      de: ['kollegiale Beratung', 'voneinander lernen', 'Austauschgruppe', 'Lesekreis'],
      ru: ['обучение у коллег', 'учиться друг у друга', 'обмен опытом', 'равный равному'],
      es: ['aprendizaje entre pares', 'entre pares', 'aprender unos de otros', 'intercambio de experiencias'],
      pt: ['aprendizagem entre pares', 'entre pares', 'aprender uns com os outros', 'troca de experiências'],
      ar: ['التعلم من الأقران', 'الأقران', 'تبادل الخبرات'],
      zh: ['同伴学习', '互相学习', '经验交流', '读书会'],
    },
  },
  {
    id: 'team_building',
    label: 'Team building',
    description: 'Developing trust and cooperation within a team so that its members work well together.',
    terms: {
      en: ['team building', 'teamwork', 'team spirit', 'trust each other', 'work together', 'works together', 'pulling together', 'bonding', 'retreat', 'team goals', 'team norms', 'team rituals', 'mixed teams', 'team members', 'your team', 'teams'],
      fr: ["esprit d'équipe", "cohésion d'équipe", "travail d'équipe", "journées d'équipe", 'équipe', 'cohésion', 'esprit de famille'],
      de: ['Teambildung', 'Teamgeist', 'Teamarbeit', 'Zusammenarbeit', 'Vertrauen im Team', 'Teambuilding'],
      ru: ['командный дух', 'сплочение коллектива', 'работа в команде', 'командообразование', 'тимбилдинг', 'сплоченность'],
      es: ['trabajo en equipo', 'espíritu de equipo', 'clima del equipo', 'convivencia', 'logros del equipo', 'cohesión'],
      pt: ['trabalho em equipa', 'trabalho em equipe', 'espírito de equipa', 'espírito coletivo', 'coesão'],
      ar: ['روح الفريق', 'العمل الجماعي', 'بناء الفريق', 'روح التعاون', 'أنشطة جماعية', 'فريق المكتبة'],
      zh: ['团队建设', '团队协作', '团队合作', '团队精神', '凝聚力', '团建'],
    },
  },
  {
    id: 'leading_in_crisis',
    label: 'Crisis leadership',
    description: 'Leading people and services through emergencies and periods of disruption or uncertainty.',
    terms: {
      en: ['crisis', 'crises', 'emergency', 'emergencies', 'disaster', 'uncertainty', 'disruption', 'pandemic', 'covid', 'earthquake', 'tsunami', 'contingency plan', 'continuity', 'shocks', 'unrest', 'stay calm', 'the unexpected', 'outages'],
      fr: ['crise', 'urgence', 'urgences', 'catastrophe', 'incertitude', 'plan de continuité', 'inondations', 'épidémies', 'rassurer les équipes'],
      de: ['Krise', 'Krisen', 'Notfall', 'Notfälle', 'Katastrophe', 'Unsicherheit', 'Krisenmanagement'],
      ru: ['кризис', 'кризисный', 'чрезвычайная ситуация', 'трудные времена', 'неопределенность', 'сохранять спокойствие', 'пандемия'],
      es: ['crisis', 'emergencia', 'incertidumbre', 'desastre', 'catástrofe', 'pandemia', 'terremoto'],
      pt: ['crise', 'emergência', 'incerteza', 'desastre', 'pandemia', 'cortes orçamentais'],
      ar: ['أزمة', 'الأزمات', 'أزمات', 'طوارئ', 'الطوارئ', 'كارثة', 'عدم اليقين'],
      zh: ['危机', '突发事件', '应急', '预案', '灾害', '疫情'],
    },
  },
  {
    id: 'succession_planning',
    label: 'Succession',
    description: 'Preparing future leaders in advance so that leadership roles can be handed over smoothly.',
    terms: {
      en: ['succession', 'successor', 'handover', 'hand over', 'acting-up', 'aspiring leaders', 'future leaders', 'pipeline', 'route to leadership', 'talent pool', 'knowledge transfer', 'cross-training'],
      fr: ['succession', 'relève', 'successeur', 'passation', 'futurs dirigeants', 'transmission des savoirs'],
      de: ['Nachfolge', 'Nachfolgeplanung', 'Nachfolger', 'Übergabe', 'Wissenstransfer', 'Führungsnachwuchs'],
      ru: ['преемственность', 'преемник', 'кадровый резерв', 'передача дел', 'будущие руководители'],
      es: ['sucesión', 'sucesor', 'relevo generacional', 'futuros líderes', 'traspaso'],
      pt: ['sucessão', 'sucessor', 'futuros líderes', 'passagem de testemunho', 'transição de liderança'],
      ar: ['التعاقب الوظيفي', 'خلافة', 'القادة المستقبليين', 'نقل المعرفة', 'الصف الثاني'],
      zh: ['接班人', '继任', '梯队建设', '后备干部', '交接', '人才储备'],
    },
  },
  {
    id: 'inclusive_recruitment',
    label: 'Inclusive recruitment',
    description: 'Bringing people from underrepresented groups into the profession and into leadership positions.',
    terms: {
      en: ['diversity', 'diverse hiring', 'inclusion', 'inclusive', 'underrepresented', 'indigenous', 'bipoc', 'of color', 'hiring panels', 'recruitment', 'disabilities', 'minorities', 'equity', 'blind resume'],
      fr: ['diversité', 'inclusion', 'inclusif', 'recrutement', 'sous-représentés', 'autochtones', 'handicap', 'minorités'],
      de: ['Vielfalt', 'Diversität', 'Inklusion', 'Rekrutierung', 'unterrepräsentiert', 'Behinderung'],
      ru: ['разнообразие', 'инклюзивность', 'инклюзия', 'набор кадров', 'инвалидностью', 'меньшинства'],
      es: ['diversidad', 'inclusión', 'indígenas', 'afrodescendientes', 'abrir puertas', 'reclutamiento', 'discapacidad'],
      pt: ['diversidade', 'inclusão', 'indígenas', 'afrodescendentes', 'recrutamento', 'deficiência'],
      ar: ['التنوع', 'الإدماج', 'ذوي الإعاقة', 'ذوي الاحتياجات الخاصة', 'الفئات المهمشة'],
      zh: ['多元化', '包容', '招聘', '少数民族', '残障', '多样性'],
    },
  },
  {
    id: 'advocacy',
    label: 'Advocacy',
    description: 'Speaking up for libraries and the communities they serve to governments and other decision makers.',
    terms: {
      en: ['advocacy', 'advocate', 'lobbying', 'parliament', 'government', 'decision makers', 'councillors', 'politicians', 'defend libraries', 'campaign', 'value of libraries'],
      fr: ['plaidoyer', 'lobbying', 'défendre les bibliothèques', 'élus', 'gouvernement', 'décideurs'],
      de: ['Lobbyarbeit', 'Interessenvertretung', 'Entscheidungsträger', 'Politik'],
      ru: ['адвокация', 'лоббирование', 'защита интересов', 'депутаты', 'органы власти'],
      es: ['incidencia', 'abogacía', 'defender las bibliotecas', 'concejales', 'gobierno local', 'campañas de apoyo', 'tomadores de decisión'],
      pt: ['advocacy', 'defesa das bibliotecas', 'prefeituras', 'pressionar', 'vereadores', 'mobilizar a comunidade'],
      ar: ['المناصرة', 'كسب التأييد', 'الدفاع عن المكتبات', 'صناع القرار'],
      zh: ['倡导', '游说', '争取支持', '决策者', '呼吁'],
    },
  },
  {
    id: 'communication',
    label: 'Communication',
    description: 'Clear and regular exchange of information between associations, leaders and members, and the personal skill of communicating well.',
    terms: {
      en: ['communication', 'communicate', 'information', 'info', 'informed', 'transparency', 'feedback', 'updates', 'explain their decisions', 'public speaking', 'negotiate', 'newsletter', 'forum', 'ask questions', 'clarity', 'dialogue', 'feedback loop', 'consult members'],
      fr: ['communication', 'communiquer', 'information', 'informations', 'transparence', 'retours', "s'exprimer", 'négocier', 'dialogue'],
      de: ['Kommunikation', 'Information', 'Transparenz', 'Rückmeldung', 'Feedback', 'Austausch'],
      ru: ['коммуникация', 'общение', 'информация', 'прозрачность', 'прозрачности', 'обратная связь', 'переговоры', 'выступать публично', 'диалог'],
      es: ['comunicación', 'información', 'informe', 'transparencia', 'retroalimentación', 'diálogo', 'hablar en público', 'nos expliquen'],
      pt: ['comunicação', 'informação', 'transparência', 'diálogo', 'feedback', 'falar em público'],
      ar: ['التواصل', 'تواصل', 'الاتصال', 'الشفافية', 'واضحة ومعلنة', 'نشرة', 'المعلومات', 'حوار', 'التقديم'],
      zh: ['沟通', '交流', '信息', '透明', '反馈', '公开', '对话'],
    },
  },
  {
    id: 'leadership_training',
    label: 'Leadership training',
    description: 'Courses and structured programmes that teach leadership and management skills.',
    terms: {
      en: ['leadership training', 'leadership course', 'leadership courses', 'leadership programme', 'leadership program', 'management training', 'management skills', 'mgmt skills', 'training', 'workshop', 'short course', 'supervising', 'performance review', 'leadership development'],
      fr: ['formation', 'formations', 'programme de leadership', 'ateliers', 'gestion des équipes', 'cours de management'],
      de: ['Führungskräftetraining', 'Führungskräfteentwicklung', 'Kurse', 'Schulung', 'Weiterbildung', 'Personalführung', 'Projektleitung', 'Fortbildung'],
      ru: ['обучение руководителей', 'тренинг', 'курсы', 'школа лидерства', 'управленческие навыки'],
      es: ['curso de liderazgo', 'cursos', 'capacitación', 'formación', 'talleres', 'programa de liderazgo'],
      pt: ['curso de liderança', 'cursos', 'formação', 'capacitação', 'oficinas de liderança', 'treinamento', 'gestão de equipas', 'gestão de equipes'],
      ar: ['تدريب', 'تدريب عملي', 'دورات تدريبية', 'برنامج قيادي', 'إدارة فرق العمل', 'المهارات الإدارية'],
      zh: ['领导力培训', '管理培训', '培训班', '培训', '领导力课程'],
    },
  },
  {
    id: 'funding',
    label: 'Funding',
    description: 'Money that lets people take part in professional development or pays them fairly for their work.',
    terms: {
      en: ['funding', 'grant', 'grants', 'scholarship', 'bursary', 'stipend', 'salary', 'salaries', 'money', 'travel grant', 'sponsorship', 'membership fee', 'afford'],
      fr: ['financement', 'bourse', 'bourses', 'salaire', 'payer', 'subvention', "frais d'inscription"],
      de: ['Finanzierung', 'Förderung', 'Stipendium', 'Gehalt', 'Reisekostenzuschuss', 'Geld'],
      ru: ['финансирование', 'грант', 'стипендия', 'зарплата', 'деньги'],
      es: ['financiamiento', 'financiación', 'beca', 'becas', 'sueldo', 'sueldos', 'salario', 'subvención', 'dinero'],
      pt: ['financiamento', 'bolsa', 'bolsas', 'salário', 'salários', 'subsídio', 'dinheiro'],
      ar: ['تمويل', 'منحة', 'منح', 'راتب', 'رواتب', 'دعم مالي', 'رسوم'],
      zh: ['资金', '经费', '资助', '奖学金', '工资', '薪酬', '补贴'],
    },
  },
  {
    id: 'workload_time',
    label: 'Time',
    description: 'Having enough time and a manageable workload to take part in development and leadership activities.',
    terms: {
      en: ['workload', 'workloads', 'protected time', 'release time', 'time off', 'overload', 'overworked', 'no time', 'enough time', 'burnout'],
      fr: ['charge de travail', 'décharge', 'surcharge', 'épuisement', 'manque de temps', 'temps libéré'],
      de: ['Arbeitsbelastung', 'Freistellung', 'Überlastung', 'Zeitmangel'],
      ru: ['нагрузка', 'рабочая нагрузка', 'перегрузка', 'выгорание', 'нет времени'],
      es: ['carga de trabajo', 'sobrecarga', 'agotamiento', 'falta de tiempo'],
      pt: ['carga de trabalho', 'sobrecarga', 'esgotamento', 'falta de tempo', 'dispensa'],
      ar: ['ضغط العمل', 'عبء العمل', 'التفرغ', 'ضيق الوقت'],
      zh: ['工作量', '工作负担', '没时间', '倦怠'],
    },
  },
  {
    id: 'recognition',
    label: 'Recognition',
    description: "Acknowledging people's contributions and trusting them with real responsibility.",
    terms: {
      en: ['recognition', 'recognise', 'recognize', 'acknowledge', 'appreciation', 'shout-out', 'celebrate', 'being trusted', 'real responsibility', 'awards', 'valued'],
      fr: ['reconnaissance', 'valorisation', 'reconnaître', 'responsabilités'],
      de: ['Anerkennung', 'Wertschätzung', 'Verantwortung übertragen'],
      ru: ['признание', 'ценить', 'доверие', 'ответственность'],
      es: ['reconocimiento', 'reconocer', 'valorar', 'celebrar los logros'],
      pt: ['reconhecimento', 'valorização', 'reconhecer'],
      ar: ['تقدير', 'الاعتراف', 'مكافأة', 'تحمل المسؤولية'],
      zh: ['认可', '肯定', '表彰', '信任', '重视'],
    },
  },
  {
    id: 'language_access',
    label: 'Language access',
    description: "Being able to take part in professional activities and use resources in one's own language rather than only in English.",
    terms: {
      en: ['in arabic', 'in french', 'in spanish', 'own language', 'translated', 'translation', 'subtitles', 'interpretation', 'multilingual', 'only in english', 'translated versions'],
      fr: ['traduction', 'traduit', 'sous-titrage', 'en arabe', 'en français', 'notre langue', 'multilingue', 'langue maternelle'],
      de: ['Übersetzung', 'übersetzt', 'Untertitel', 'Muttersprache', 'mehrsprachig'],
      ru: ['перевод', 'на русском', 'родной язык', 'субтитры', 'переводчик'],
      es: ['traducción', 'traducido', 'subtítulos', 'en español', 'nuestro idioma', 'lengua materna'],
      pt: ['tradução', 'traduzido', 'legendas', 'em português', 'nossa língua'],
      ar: ['بالعربية', 'باللغة العربية', 'ترجمة', 'مترجم', 'بلغتنا', 'اللغة الأم', 'بالفرنسية'],
      zh: ['中文', '翻译', '字幕', '母语', '多语种'],
    },
  },
  {
    id: 'digital_infrastructure',
    label: 'Digital access',
    description: 'Having the reliable internet connection, electricity and equipment needed to take part in online professional activities.',
    terms: {
      en: ['internet', 'wifi', 'wi-fi', 'connectivity', 'bandwidth', 'electricity', 'power outages', 'generator', 'laptops', 'computers', 'IT equipment', 'router', 'mobile data', 'data costs'],
      fr: ['internet', 'connexion', 'électricité', 'coupures de courant', 'ordinateurs', 'équipement informatique'],
      de: ['Internet', 'Internetverbindung', 'WLAN', 'Strom', 'Laptops', 'Ausstattung'],
      ru: ['интернет', 'подключение', 'электричество', 'компьютеры', 'ноутбуки', 'оборудование'],
      es: ['internet', 'conexión', 'conectividad', 'electricidad', 'computadoras', 'wifi'],
      pt: ['internet', 'conexão', 'conectividade', 'eletricidade', 'computadores', 'equipamentos informáticos'],
      ar: ['الإنترنت', 'انترنت', 'الكهرباء', 'حواسيب', 'أجهزة'],
      zh: ['网络连接', '网速', '电力', '停电', '电脑', '设备', '宽带'],
    },
  },
  {
    id: 'intergenerational_collaboration',
    label: 'Intergenerational',
    description: 'Early-career and experienced librarians working together as equals and learning from each other in both directions.',
    terms: {
      en: ['intergenerational', 'two-way learning', 'reverse mentoring', 'young and old', 'as partners', 'as equals', 'both directions', 'old hands', 'young staff', 'generations'],
      fr: ['intergénérationnel', 'mentorat inversé', 'jeunes et anciens', 'générations'],
      de: ['generationenübergreifend', 'Reverse Mentoring', 'Jung und Alt', 'Generationen'],
      ru: ['обратное наставничество', 'поколений', 'молодые и опытные', 'между поколениями'],
      es: ['intergeneracional', 'mentoría inversa', 'generaciones', 'jóvenes y veteranos'],
      pt: ['intergeracional', 'mentoria reversa', 'gerações', 'jovens e seniores'],
      ar: ['بين الأجيال', 'الأجيال', 'الشباب والقدامى'],
      zh: ['代际', '新老馆员', '年轻人和老', '老少'],
    },
  },
];

/** The shipped codebook for professional development and leadership, with seed terms in eight languages. */
export const defaultCodebook: Codebook = {
  themes: THEMES.map((t) => ({
    id: t.id,
    label: t.label,
    description: t.description,
    terms: Object.entries(t.terms).flatMap(([lang, list]) => list.map((text) => ({ text, lang }))),
  })),
};
