import type { Codebook } from './codebook.ts';

type Terms = Record<'ar' | 'zh' | 'en' | 'fr' | 'de' | 'ru' | 'es' | 'pt', string[]>;

interface DefaultTheme {
  id: string;
  label: string;
  description: string;
  terms: Terms;
}

// Seed terms for professional development and leadership in the libraries field, written from each
// theme's definition (its key nouns and verbs, their usual synonyms, and the standard names of the
// practice in each language), never from answers of a dataset: see docs/analysis.md, "The default
// codebook". Terms are single words or established terms of the field ("community of practice",
// "succession planning"); a word that means something else in another language of the series is left
// out (English "protégé" is French for "protected": "temps protégé" is about time, not mentoring), and a
// word that means something else in another theme's everyday use is written
// as the established term instead (French "équipe" and Spanish "equipo" mean team, so equipment is
// "équipement informatique"). Words every answer in this field uses (association, members, colleagues,
// leadership, young, online, time…) are not terms on their own: they say where, not what.
// prettier-ignore
const THEMES: DefaultTheme[] = [
  {
    id: 'mentoring',
    label: 'Mentoring',
    description: 'An experienced professional guides a less experienced colleague over a period of time.',
    terms: {
      en: ['mentor', 'mentors', 'mentoring', 'mentorship', 'mentee', 'experienced colleague', 'senior colleague'],
      fr: ['mentor', 'mentore', 'mentorat', 'tutorat', 'tuteur', 'tutrice', 'parrainage', 'parrain', 'marraine', 'collègue expérimenté'],
      de: ['Mentor', 'Mentorin', 'Mentoring', 'Mentee', 'Patenschaft', 'Pate', 'Patin', 'erfahrene Kollegen'],
      ru: ['наставник', 'наставница', 'наставничество', 'ментор', 'менторство', 'подопечный', 'опытный коллега'],
      es: ['mentor', 'mentora', 'mentoría', 'mentorías', 'tutor', 'tutora', 'tutoría', 'padrino', 'madrina', 'colega experimentado'],
      pt: ['mentor', 'mentora', 'mentoria', 'tutor', 'tutora', 'tutoria', 'padrinho', 'madrinha'],
      ar: ['إرشاد', 'الإرشاد', 'مرشد', 'مرشدة', 'موجه', 'زميل خبير'],
      zh: ['导师', '师傅', '带教', '传帮带', '前辈'],
    },
  },
  {
    id: 'coaching',
    label: 'Coaching',
    description: 'A trained coach helps a person reach specific goals through structured individual or group sessions.',
    terms: {
      en: ['coach', 'coaches', 'coaching', 'coached', 'executive coaching'],
      fr: ['coach', 'coachs', 'coaching'],
      de: ['Coach', 'Coachin', 'Coaching'],
      ru: ['коуч', 'коучинг', 'коуча'],
      es: ['coach', 'coaching'],
      pt: ['coach', 'coaching'],
      ar: ['كوتش', 'كوتشينغ', 'كوتشينج', 'التدريب الشخصي'],
      zh: ['教练', '教练式', '辅导'],
    },
  },
  {
    id: 'networking',
    label: 'Networking',
    description: 'Building professional contacts and relationships with colleagues in other libraries and institutions.',
    terms: {
      en: ['networking', 'network', 'networks', 'contacts', 'connections', 'other libraries'],
      fr: ['réseau', 'réseaux', 'réseautage', 'contacts', 'autres bibliothèques'],
      de: ['Netzwerk', 'Netzwerke', 'Netzwerken', 'Vernetzung', 'Kontakte', 'andere Bibliotheken'],
      ru: ['нетворкинг', 'сеть', 'связи', 'контакты', 'знакомства', 'другие библиотеки'],
      es: ['networking', 'red', 'redes', 'contactos', 'otras bibliotecas'],
      pt: ['networking', 'rede', 'redes', 'contatos', 'contactos', 'outras bibliotecas'],
      ar: ['التشبيك', 'شبكة', 'شبكات', 'تواصل مهني', 'مكتبات أخرى'],
      zh: ['人脉', '网络', '同行', '其他图书馆'],
    },
  },
  {
    id: 'conference_participation',
    label: 'Conferences',
    description: 'Attending or presenting at conferences and similar professional events.',
    terms: {
      en: ['conference', 'conferences', 'congress', 'symposium', 'seminar'],
      fr: ['conférence', 'conférences', 'congrès', 'colloque', 'séminaire'],
      de: ['Konferenz', 'Konferenzen', 'Kongress', 'Tagung', 'Tagungen', 'Symposium'],
      ru: ['конференция', 'конференции', 'конгресс', 'симпозиум', 'семинар'],
      es: ['conferencia', 'conferencias', 'congreso', 'congresos', 'simposio', 'seminario'],
      pt: ['conferência', 'conferências', 'congresso', 'simpósio', 'seminário'],
      ar: ['مؤتمر', 'مؤتمرات', 'المؤتمر', 'ندوة', 'ملتقى'],
      zh: ['会议', '大会', '年会', '研讨会', '论坛', '参会'],
    },
  },
  {
    id: 'association_volunteering',
    label: 'Volunteering',
    description: 'Taking an unpaid role in the work of an association to gain leadership experience.',
    terms: {
      en: ['volunteer', 'volunteers', 'volunteering', 'unpaid'],
      fr: ['bénévole', 'bénévoles', 'bénévolat'],
      de: ['Ehrenamt', 'ehrenamtlich', 'Freiwillige'],
      ru: ['волонтер', 'волонтёр', 'волонтерство', 'добровольно'],
      es: ['voluntario', 'voluntaria', 'voluntariado'],
      pt: ['voluntário', 'voluntária', 'voluntariado'],
      ar: ['تطوع', 'التطوع', 'متطوع', 'متطوعة'],
      zh: ['志愿', '志愿者', '义务'],
    },
  },
  {
    id: 'peer_learning',
    label: 'Peer learning',
    description: 'Colleagues at a similar career stage learning from each other.',
    terms: {
      en: ['peer learning', 'peers', 'each other', 'learning from each other', 'community of practice', 'study group', 'reading group', 'journal club', 'exchange of experience', 'share experiences', 'learning circle'],
      fr: ['pairs', 'apprentissage entre pairs', 'les uns des autres', 'communauté de pratique', 'groupe de lecture', "échange d'expériences", "partage d'expériences", "cercle d'apprentissage"],
      de: ['Peer', 'Peers', 'voneinander lernen', 'gegenseitig', 'Praxisgemeinschaft', 'Lesekreis', 'Erfahrungsaustausch', 'Lernkreis', 'kollegiale Beratung'],
      ru: ['друг у друга', 'друг друга', 'обмен опытом', 'равных', 'сообщество практиков', 'читательский клуб', 'кружок', 'делиться опытом'],
      es: ['pares', 'entre pares', 'unos de otros', 'comunidad de práctica', 'grupo de lectura', 'club de lectura', 'intercambio de experiencias', 'compartir experiencias', 'círculo de aprendizaje'],
      pt: ['pares', 'entre pares', 'uns com os outros', 'comunidade de prática', 'grupo de leitura', 'clube de leitura', 'troca de experiências', 'partilha de experiências', 'círculo de aprendizagem'],
      ar: ['الأقران', 'أقران', 'تبادل الخبرات', 'من بعضنا', 'مجتمع ممارسة', 'نادي القراءة', 'مشاركة التجارب', 'حلقة تعلم'],
      zh: ['同伴', '同辈', '互相学习', '相互学习', '学习小组', '读书会', '经验交流', '学习圈'],
    },
  },
  {
    id: 'team_building',
    label: 'Team building',
    description: 'Developing trust and cooperation within a team so that its members work well together.',
    terms: {
      en: ['team building', 'team', 'teams', 'teamwork', 'trust', 'cooperation'],
      fr: ['cohésion', 'équipe', 'équipes', "esprit d'équipe", 'confiance', 'coopération'],
      de: ['Teambildung', 'Team', 'Teams', 'Teamarbeit', 'Vertrauen', 'Kooperation'],
      ru: ['команда', 'команды', 'командный', 'сплоченность', 'доверие'],
      es: ['equipo', 'equipos', 'trabajo en equipo', 'confianza', 'cooperación'],
      pt: ['equipe', 'equipa', 'equipes', 'trabalho em equipe', 'confiança', 'cooperação'],
      ar: ['فريق', 'الفريق', 'فرق', 'العمل الجماعي', 'الثقة', 'ثقة', 'تعاون', 'التعاون'],
      zh: ['团队', '团队建设', '信任', '协作', '凝聚力'],
    },
  },
  {
    id: 'leading_in_crisis',
    label: 'Crisis leadership',
    description: 'Leading people and services through emergencies and periods of disruption or uncertainty.',
    terms: {
      en: ['crisis', 'crises', 'emergency', 'emergencies', 'disruption', 'uncertainty', 'disaster', 'pandemic', 'contingency', 'continuity', 'closure', 'difficult times', 'unexpected', 'resilience', 'cyberattack', 'cyber attack', 'natural disaster'],
      fr: ['crise', 'crises', 'urgence', 'urgences', 'perturbation', 'incertitude', 'catastrophe', 'pandémie', 'continuité', 'temps difficiles', 'imprévu', 'imprévus', 'résilience', 'cyberattaque', 'catastrophe naturelle'],
      de: ['Krise', 'Krisen', 'Notfall', 'Notfälle', 'Störung', 'Unsicherheit', 'Katastrophe', 'Pandemie', 'Notfallplan', 'schwierige Zeiten', 'unerwartet', 'Resilienz', 'Cyberangriff', 'Naturkatastrophe'],
      ru: ['кризис', 'кризиса', 'кризисы', 'чрезвычайная', 'чрезвычайных', 'неопределенность', 'неопределённость', 'катастрофа', 'пандемия', 'трудные времена', 'непредвиденные', 'устойчивость', 'кибератака', 'стихийное бедствие'],
      es: ['crisis', 'emergencia', 'emergencias', 'incertidumbre', 'desastre', 'pandemia', 'contingencia', 'continuidad', 'tiempos difíciles', 'imprevisto', 'imprevistos', 'resiliencia', 'ciberataque', 'desastre natural'],
      pt: ['crise', 'crises', 'emergência', 'emergências', 'incerteza', 'desastre', 'pandemia', 'contingência', 'continuidade', 'tempos difíceis', 'imprevisto', 'imprevistos', 'resiliência', 'ciberataque', 'desastre natural'],
      ar: ['أزمة', 'الأزمة', 'أزمات', 'الأزمات', 'طوارئ', 'الطوارئ', 'كارثة', 'جائحة', 'عدم اليقين', 'الأوقات الصعبة', 'الصمود', 'هجوم إلكتروني', 'كارثة طبيعية'],
      zh: ['危机', '紧急', '突发', '应急', '灾害', '疫情', '不确定', '困难时期', '意外', '韧性', '网络攻击', '自然灾害'],
    },
  },
  {
    id: 'succession_planning',
    label: 'Succession',
    description: 'Preparing future leaders in advance so that leadership roles can be handed over smoothly.',
    terms: {
      en: ['succession', 'succession planning', 'successor', 'successors', 'handover', 'hand over', 'future leaders', 'next generation', 'retire', 'retirement', 'talent pipeline', 'career path', 'career pathway', 'emerging leaders', 'acting up'],
      fr: ['succession', 'relève', 'successeur', 'passation', 'futurs dirigeants', 'prochaine génération', 'retraite', 'vivier', 'plan de carrière', 'parcours de carrière', 'leaders émergents', 'intérim'],
      de: ['Nachfolge', 'Nachfolgeplanung', 'Nachfolger', 'Nachfolgerin', 'Übergabe', 'Führungsnachwuchs', 'Ruhestand', 'Talentpool', 'Karrierepfad', 'Karriereweg', 'Nachwuchsführungskräfte'],
      ru: ['преемственность', 'преемник', 'преемники', 'передача', 'будущие руководители', 'смена', 'пенсия', 'кадровый резерв', 'карьерный путь', 'карьерный рост'],
      es: ['sucesión', 'relevo', 'sucesor', 'sucesora', 'traspaso', 'futuros líderes', 'nueva generación', 'jubilación', 'cantera', 'plan de carrera', 'carrera profesional', 'líderes emergentes'],
      pt: ['sucessão', 'sucessor', 'sucessora', 'passagem', 'futuros líderes', 'nova geração', 'aposentadoria', 'reforma', 'plano de carreira', 'carreira profissional', 'líderes emergentes'],
      ar: ['التعاقب', 'تعاقب', 'خلافة', 'خلف', 'تسليم', 'قادة المستقبل', 'الجيل القادم', 'التقاعد', 'المسار الوظيفي', 'القادة الناشئين', 'التدرج الوظيفي'],
      zh: ['接班', '接班人', '继任', '交接', '后备', '未来领导', '退休', '人才梯队', '职业发展路径', '储备干部', '晋升通道'],
    },
  },
  {
    id: 'inclusive_recruitment',
    label: 'Inclusive recruitment',
    description: 'Bringing people from underrepresented groups into the profession and into leadership positions.',
    terms: {
      en: ['diversity', 'diverse', 'inclusion', 'inclusive', 'underrepresented', 'minorities', 'equity', 'recruitment', 'hiring', 'representation', 'indigenous', 'disability', 'disabilities', 'first-generation', 'people of colour', 'people of color', 'marginalised'],
      fr: ['diversité', 'inclusion', 'inclusif', 'inclusive', 'sous-représentés', 'minorités', 'équité', 'recrutement', 'embauche', 'autochtones', 'handicap', 'première génération', 'personnes racisées', 'marginalisés'],
      de: ['Diversität', 'Vielfalt', 'Inklusion', 'inklusiv', 'unterrepräsentiert', 'Minderheiten', 'Chancengleichheit', 'Rekrutierung', 'Einstellung', 'Indigene', 'Behinderung', 'Behinderungen', 'erste Generation', 'marginalisiert'],
      ru: ['разнообразие', 'инклюзия', 'инклюзивный', 'недопредставленные', 'меньшинства', 'равенство', 'найм', 'набор', 'коренные', 'инвалидность', 'инвалиды', 'первое поколение', 'маргинализированные'],
      es: ['diversidad', 'inclusión', 'inclusivo', 'inclusiva', 'subrepresentados', 'minorías', 'equidad', 'contratación', 'reclutamiento', 'indígenas', 'discapacidad', 'primera generación', 'afrodescendientes', 'marginados'],
      pt: ['diversidade', 'inclusão', 'inclusivo', 'inclusiva', 'sub-representados', 'minorias', 'equidade', 'contratação', 'recrutamento', 'indígenas', 'deficiência', 'primeira geração', 'afrodescendentes', 'negros', 'marginalizados'],
      ar: ['التنوع', 'تنوع', 'الشمول', 'الإدماج', 'الأقليات', 'المساواة', 'التوظيف', 'توظيف', 'السكان الأصليين', 'الإعاقة', 'ذوي الإعاقة', 'المهمشين'],
      zh: ['多元', '多样性', '包容', '少数', '代表性不足', '公平', '招聘', '录用', '少数民族', '残障', '残疾人', '第一代', '边缘群体'],
    },
  },
  {
    id: 'advocacy',
    label: 'Advocacy',
    description: 'Speaking up for libraries and the communities they serve to governments and other decision makers.',
    terms: {
      en: ['advocacy', 'advocate', 'advocating', 'lobbying', 'government', 'governments', 'decision makers', 'policy makers', 'politicians', 'speak up', 'council', 'councillors', 'municipality', 'mayor', 'ministry', 'parliament', 'lobby', 'campaign', 'campaigns'],
      fr: ['plaidoyer', 'défendre', 'défense', 'lobbying', 'gouvernement', 'décideurs', 'élus', 'politiques', 'mairie', 'municipalité', 'conseil municipal', 'maire', 'ministère', 'parlement', 'campagne', 'campagnes'],
      de: ['Lobbyarbeit', 'Interessenvertretung', 'eintreten', 'Regierung', 'Entscheidungsträger', 'Politik', 'Politiker', 'Gemeinderat', 'Stadtrat', 'Gemeinde', 'Bürgermeister', 'Ministerium', 'Parlament', 'Kampagne'],
      ru: ['адвокация', 'продвижение', 'лоббирование', 'правительство', 'власти', 'лица, принимающие решения', 'политики', 'отстаивать', 'муниципалитет', 'мэрия', 'мэр', 'депутаты', 'министерство', 'парламент', 'кампания'],
      es: ['incidencia', 'abogacía', 'defensa', 'defender', 'cabildeo', 'gobierno', 'gobiernos', 'tomadores de decisiones', 'políticos', 'municipio', 'municipalidad', 'ayuntamiento', 'concejo', 'concejales', 'alcalde', 'ministerio', 'parlamento', 'campaña', 'campañas'],
      pt: ['advocacy', 'defesa', 'defender', 'lobby', 'governo', 'governos', 'tomadores de decisão', 'políticos', 'prefeitura', 'prefeituras', 'município', 'câmara municipal', 'vereadores', 'prefeito', 'ministério', 'parlamento', 'campanha', 'campanhas'],
      ar: ['المناصرة', 'مناصرة', 'الدفاع', 'كسب التأييد', 'الحكومة', 'الحكومات', 'صناع القرار', 'السياسيين', 'البلدية', 'البلديات', 'الوزارة', 'البرلمان', 'حملة', 'حملات'],
      zh: ['倡导', '呼吁', '游说', '政府', '决策者', '争取', '市政府', '议员', '人大', '宣传活动', '主管部门'],
    },
  },
  {
    id: 'communication',
    label: 'Communication',
    description: 'Clear and regular exchange of information between associations, leaders and members, and the personal skill of communicating well.',
    terms: {
      en: ['communication', 'communicate', 'communicating', 'information', 'informed', 'transparency', 'transparent', 'dialogue', 'feedback', 'public speaking', 'negotiation', 'negotiate', 'newsletter', 'presentation skills'],
      fr: ['communication', 'communiquer', 'information', 'informations', 'informés', 'transparence', 'dialogue', 'écoute', 'retour', 'retours', 'prise de parole', 'parler en public', 'négociation', 'négocier', 'bulletin'],
      de: ['Kommunikation', 'kommunizieren', 'Information', 'Informationen', 'informiert', 'Transparenz', 'Dialog', 'zuhören', 'Rückmeldung', 'Feedback', 'öffentlich sprechen', 'Verhandlung', 'verhandeln', 'Newsletter'],
      ru: ['коммуникация', 'общение', 'информация', 'информирование', 'прозрачность', 'диалог', 'слушать', 'обратная связь', 'публичные выступления', 'переговоры', 'рассылка'],
      es: ['comunicación', 'comunicar', 'información', 'informados', 'transparencia', 'diálogo', 'escuchar', 'retroalimentación', 'hablar en público', 'negociación', 'negociar', 'boletín'],
      pt: ['comunicação', 'comunicar', 'informação', 'informações', 'informados', 'transparência', 'diálogo', 'ouvir', 'retorno', 'feedback', 'falar em público', 'negociação', 'negociar', 'boletim'],
      ar: ['التواصل', 'تواصل', 'الاتصال', 'المعلومات', 'معلومات', 'الشفافية', 'الحوار', 'الإصغاء', 'التغذية الراجعة', 'الخطابة', 'التفاوض', 'نشرة'],
      zh: ['沟通', '交流', '信息', '通报', '透明', '对话', '倾听', '反馈', '演讲', '谈判', '简报'],
    },
  },
  {
    id: 'leadership_training',
    label: 'Leadership training',
    description: 'Courses and structured programmes that teach leadership and management skills.',
    terms: {
      en: ['leadership training', 'training', 'course', 'courses', 'workshop', 'workshops', 'management skills', 'leadership skills', 'leadership development'],
      fr: ['formation', 'formations', 'cours', 'atelier', 'ateliers', 'compétences managériales'],
      de: ['Führungskräftetraining', 'Fortbildung', 'Weiterbildung', 'Schulung', 'Kurs', 'Kurse', 'Workshop', 'Führungskompetenzen'],
      ru: ['обучение', 'тренинг', 'тренинги', 'курс', 'курсы', 'семинары', 'управленческие навыки'],
      es: ['formación', 'capacitación', 'curso', 'cursos', 'taller', 'talleres', 'habilidades de gestión'],
      pt: ['formação', 'capacitação', 'treinamento', 'curso', 'cursos', 'oficina', 'workshop'],
      ar: ['تدريب', 'التدريب', 'دورة', 'دورات', 'ورشة', 'ورش عمل', 'مهارات القيادة'],
      zh: ['培训', '课程', '工作坊', '管理能力', '管理技能'],
    },
  },
  {
    id: 'funding',
    label: 'Funding',
    description: 'Money that lets people take part in professional development or pays them fairly for their work.',
    terms: {
      en: ['funding', 'funds', 'funded', 'money', 'grant', 'grants', 'scholarship', 'bursary', 'salary', 'salaries', 'afford', 'budget'],
      fr: ['financement', 'fonds', 'argent', 'bourse', 'bourses', 'subvention', 'salaire', 'salaires', 'rémunération', 'budget'],
      de: ['Finanzierung', 'Geld', 'Mittel', 'Stipendium', 'Stipendien', 'Förderung', 'Gehalt', 'Gehälter', 'Bezahlung', 'Budget'],
      ru: ['финансирование', 'деньги', 'средства', 'грант', 'гранты', 'стипендия', 'зарплата', 'зарплаты', 'оплата', 'бюджет'],
      es: ['financiación', 'financiamiento', 'dinero', 'fondos', 'beca', 'becas', 'subvención', 'salario', 'salarios', 'sueldo', 'presupuesto'],
      pt: ['financiamento', 'dinheiro', 'fundos', 'bolsa', 'bolsas', 'subsídio', 'salário', 'salários', 'remuneração', 'orçamento'],
      ar: ['تمويل', 'التمويل', 'المال', 'منحة', 'منح', 'رواتب', 'الرواتب', 'راتب', 'أجر', 'ميزانية'],
      zh: ['资金', '经费', '资助', '奖学金', '补贴', '工资', '薪水', '薪酬', '预算'],
    },
  },
  {
    id: 'workload_time',
    label: 'Time',
    description: 'Having enough time and a manageable workload to take part in development and leadership activities.',
    terms: {
      en: ['workload', 'overworked', 'overload', 'time off', 'understaffed', 'lack of time', 'enough time', 'protected time', 'time to learn'],
      fr: ['charge de travail', 'débordé', 'surcharge', 'sous-effectif', 'manque de temps', 'temps protégé', 'temps pour se former'],
      de: ['Arbeitsbelastung', 'Arbeitslast', 'überlastet', 'Überlastung', 'Freistellung', 'Zeitmangel', 'geschützte Zeit', 'Zeit für Fortbildung'],
      ru: ['нагрузка', 'загруженность', 'перегрузка', 'перегружены', 'нехватка времени', 'время на обучение'],
      es: ['carga de trabajo', 'sobrecarga', 'agotamiento', 'falta de tiempo', 'tiempo protegido', 'tiempo para formarse'],
      pt: ['carga de trabalho', 'sobrecarga', 'sobrecarregados', 'falta de tempo', 'tempo protegido', 'tempo para formação'],
      ar: ['عبء العمل', 'ضغط العمل', 'انشغال', 'أوقات', 'ضيق الوقت', 'الوقت الكافي', 'وقت للتعلم'],
      zh: ['工作量', '工作负担', '超负荷', '学时', '没有时间', '时间不够', '学习时间'],
    },
  },
  {
    id: 'recognition',
    label: 'Recognition',
    description: "Acknowledging people's contributions and trusting them with real responsibility.",
    terms: {
      en: ['recognition', 'recognise', 'recognize', 'recognised', 'acknowledge', 'acknowledged', 'appreciation', 'appreciated', 'valued', 'trusted', 'praise', 'celebrate', 'celebrating', 'achievements', 'award', 'awards'],
      fr: ['reconnaissance', 'reconnaître', 'reconnu', 'valorisation', 'valoriser', 'apprécié', 'confiance', 'éloges', 'célébrer', 'réussites', 'prix', 'distinction'],
      de: ['Anerkennung', 'anerkennen', 'anerkannt', 'Wertschätzung', 'wertgeschätzt', 'zutrauen', 'Lob', 'loben', 'feiern', 'Erfolge', 'Auszeichnung', 'Preis'],
      ru: ['признание', 'признавать', 'ценить', 'ценят', 'благодарность', 'доверять', 'похвала', 'хвалить', 'отмечать', 'достижения', 'награда', 'премия'],
      es: ['reconocimiento', 'reconocer', 'reconocida', 'reconocido', 'valorar', 'valorado', 'valorada', 'elogio', 'elogiar', 'celebrar', 'logros', 'premio', 'premios'],
      pt: ['reconhecimento', 'reconhecer', 'reconhecido', 'valorização', 'valorizar', 'valorizado', 'elogio', 'elogiar', 'celebrar', 'conquistas', 'prêmio', 'prémio'],
      ar: ['التقدير', 'تقدير', 'الاعتراف', 'اعتراف', 'الثقة بهم', 'الثناء', 'الإنجازات', 'جائزة', 'جوائز', 'تكريم'],
      zh: ['认可', '肯定', '表彰', '赏识', '重视', '信任', '表扬', '嘉奖', '奖励', '成绩', '庆祝'],
    },
  },
  {
    id: 'language_access',
    label: 'Language access',
    description: "Being able to take part in professional activities and use resources in one's own language rather than only in English.",
    terms: {
      en: ['language', 'languages', 'own language', 'english', 'translation', 'translated', 'interpretation', 'interpreters', 'multilingual', 'subtitles'],
      fr: ['langue', 'langues', 'propre langue', 'anglais', 'traduction', 'traduit', 'interprétation', 'multilingue', 'sous-titres'],
      de: ['Sprache', 'Sprachen', 'Muttersprache', 'Englisch', 'Übersetzung', 'übersetzt', 'Dolmetschen', 'mehrsprachig', 'Untertitel'],
      ru: ['язык', 'языке', 'языки', 'родной язык', 'английский', 'английском', 'перевод', 'переводом', 'синхронный перевод', 'многоязычный', 'субтитры'],
      es: ['idioma', 'idiomas', 'lengua', 'propio idioma', 'inglés', 'traducción', 'traducido', 'interpretación', 'multilingüe', 'subtítulos'],
      pt: ['idioma', 'idiomas', 'língua', 'própria língua', 'inglês', 'tradução', 'traduzido', 'interpretação', 'multilíngue', 'legendas'],
      ar: ['لغة', 'اللغة', 'لغتنا', 'العربية', 'بالعربية', 'الإنجليزية', 'بالإنجليزية', 'ترجمة', 'الترجمة', 'مترجم'],
      zh: ['语言', '中文', '母语', '英语', '英文', '翻译', '口译', '字幕', '多语种'],
    },
  },
  {
    id: 'digital_infrastructure',
    label: 'Digital access',
    description: 'Having the reliable internet connection, electricity and equipment needed to take part in online professional activities.',
    terms: {
      en: ['internet', 'connectivity', 'bandwidth', 'wifi', 'electricity', 'computer', 'computers', 'laptop'],
      fr: ['internet', 'débit', 'wifi', 'électricité', 'équipement informatique', 'ordinateur', 'ordinateurs'],
      de: ['Internet', 'Internetverbindung', 'Bandbreite', 'WLAN', 'Computer', 'Laptop'],
      ru: ['интернет', 'электричество', 'электроэнергия', 'компьютер', 'компьютеры', 'ноутбук'],
      es: ['internet', 'conectividad', 'ancho de banda', 'wifi', 'electricidad', 'equipos informáticos', 'computadora', 'ordenador'],
      pt: ['internet', 'conectividade', 'wifi', 'eletricidade', 'computador', 'computadores'],
      ar: ['الإنترنت', 'إنترنت', 'الاتصال بالإنترنت', 'الكهرباء', 'كهرباء', 'حاسوب', 'حواسيب'],
      zh: ['网速', '互联网', '电力', '停电', '电脑', '计算机'],
    },
  },
  {
    id: 'intergenerational_collaboration',
    label: 'Intergenerational',
    description: 'Early-career and experienced librarians working together as equals and learning from each other in both directions.',
    terms: {
      en: ['intergenerational', 'generations', 'early-career', 'as equals', 'reverse mentoring', 'both directions', 'young and old', 'juniors and seniors', 'older and younger'],
      fr: ['intergénérationnel', 'générations', "d'égal à égal", 'mentorat inversé', 'jeunes et anciens', 'dans les deux sens', 'jeunes et seniors'],
      de: ['generationenübergreifend', 'Generationen', 'Berufseinsteiger', 'auf Augenhöhe', 'Reverse Mentoring', 'Jung und Alt', 'in beide Richtungen', 'Ältere und Jüngere'],
      ru: ['межпоколенческий', 'поколения', 'поколений', 'на равных', 'обратное наставничество', 'молодые и опытные', 'старшие и младшие', 'в обе стороны'],
      es: ['intergeneracional', 'generaciones', 'veteranos', 'de igual a igual', 'mentoría inversa', 'jóvenes y mayores', 'en ambos sentidos', 'jóvenes y veteranos'],
      pt: ['intergeracional', 'gerações', 'veteranos', 'de igual para igual', 'mentoria reversa', 'jovens e veteranos', 'nos dois sentidos', 'jovens e mais velhos'],
      ar: ['بين الأجيال', 'الأجيال', 'على قدم المساواة', 'الشباب والخبراء', 'الكبار والصغار', 'في الاتجاهين'],
      zh: ['代际', '几代', '新老', '平等', '老中青', '老带新'],
    },
  },
];

// The label of each theme in the seven languages of the interface (English is the source, `label` above).
// prettier-ignore
const LABELS: Record<string, Record<'ar' | 'zh' | 'en' | 'fr' | 'de' | 'ru' | 'es', string>> = {
  mentoring: { ar: 'الإرشاد', de: 'Mentoring', en: 'Mentoring', es: 'Mentoría', fr: 'Mentorat', ru: 'Наставничество', zh: '导师指导' },
  coaching: { ar: 'الكوتشينغ', de: 'Coaching', en: 'Coaching', es: 'Coaching', fr: 'Coaching', ru: 'Коучинг', zh: '教练辅导' },
  networking: { ar: 'بناء العلاقات المهنية', de: 'Networking', en: 'Networking', es: 'Redes de contactos', fr: 'Réseautage', ru: 'Нетворкинг', zh: '人脉建设' },
  conference_participation: { ar: 'المؤتمرات', de: 'Konferenzen', en: 'Conferences', es: 'Congresos', fr: 'Conférences', ru: 'Конференции', zh: '会议' },
  association_volunteering: { ar: 'التطوع', de: 'Ehrenamt', en: 'Volunteering', es: 'Voluntariado', fr: 'Bénévolat', ru: 'Волонтёрство', zh: '志愿服务' },
  peer_learning: { ar: 'التعلم من الأقران', de: 'Peer-Learning', en: 'Peer learning', es: 'Aprendizaje entre pares', fr: 'Apprentissage entre pairs', ru: 'Взаимное обучение', zh: '同伴学习' },
  team_building: { ar: 'بناء الفريق', de: 'Teambildung', en: 'Team building', es: 'Cohesión de equipo', fr: "Cohésion d'équipe", ru: 'Командообразование', zh: '团队建设' },
  leading_in_crisis: { ar: 'القيادة في الأزمات', de: 'Führung in der Krise', en: 'Crisis leadership', es: 'Liderazgo en crisis', fr: 'Leadership en temps de crise', ru: 'Лидерство в кризис', zh: '危机领导' },
  succession_planning: { ar: 'التعاقب الوظيفي', de: 'Nachfolge', en: 'Succession', es: 'Sucesión', fr: 'Relève', ru: 'Преемственность', zh: '继任规划' },
  inclusive_recruitment: { ar: 'التوظيف الشامل', de: 'Inklusive Personalgewinnung', en: 'Inclusive recruitment', es: 'Contratación inclusiva', fr: 'Recrutement inclusif', ru: 'Инклюзивный наём', zh: '包容性招聘' },
  advocacy: { ar: 'المناصرة', de: 'Interessenvertretung', en: 'Advocacy', es: 'Incidencia', fr: 'Plaidoyer', ru: 'Продвижение интересов', zh: '倡导' },
  communication: { ar: 'التواصل', de: 'Kommunikation', en: 'Communication', es: 'Comunicación', fr: 'Communication', ru: 'Коммуникация', zh: '沟通' },
  leadership_training: { ar: 'التدريب على القيادة', de: 'Führungskräfteschulung', en: 'Leadership training', es: 'Formación en liderazgo', fr: 'Formation au leadership', ru: 'Обучение лидерству', zh: '领导力培训' },
  funding: { ar: 'التمويل', de: 'Finanzierung', en: 'Funding', es: 'Financiación', fr: 'Financement', ru: 'Финансирование', zh: '资金' },
  workload_time: { ar: 'الوقت', de: 'Zeit', en: 'Time', es: 'Tiempo', fr: 'Temps', ru: 'Время', zh: '时间' },
  recognition: { ar: 'التقدير', de: 'Anerkennung', en: 'Recognition', es: 'Reconocimiento', fr: 'Reconnaissance', ru: 'Признание', zh: '认可' },
  language_access: { ar: 'الوصول اللغوي', de: 'Sprachlicher Zugang', en: 'Language access', es: 'Acceso lingüístico', fr: 'Accès linguistique', ru: 'Языковая доступность', zh: '语言无障碍' },
  digital_infrastructure: { ar: 'الوصول الرقمي', de: 'Digitaler Zugang', en: 'Digital access', es: 'Acceso digital', fr: 'Accès numérique', ru: 'Цифровой доступ', zh: '数字接入' },
  intergenerational_collaboration: { ar: 'التعاون بين الأجيال', de: 'Generationenübergreifend', en: 'Intergenerational', es: 'Intergeneracional', fr: 'Intergénérationnel', ru: 'Межпоколенческое взаимодействие', zh: '代际合作' },
};

/** The shipped codebook for professional development and leadership, with seed terms in eight languages. */
export const defaultCodebook: Codebook = {
  themes: THEMES.map((t) => ({
    id: t.id,
    label: t.label,
    labels: LABELS[t.id],
    description: t.description,
    terms: Object.entries(t.terms).flatMap(([lang, list]) => list.map((text) => ({ text, lang }))),
  })),
};
