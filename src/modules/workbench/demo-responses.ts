// Demo attendee responses for the founding series: phrases per theme × language, composed deterministically
// into a few hundred answers across the six regions, so the workbench tells the founding story on first start.
import { createRandom } from '../analysis/index.ts';

export type DemoKind = 'best_practice' | 'recommendation' | 'need';
export type Lang = 'en' | 'es' | 'fr' | 'pt' | 'ar' | 'zh' | 'ru' | 'de';

/** One composed answer. */
export interface DemoAnswer {
  region: string;
  kind: DemoKind;
  language: Lang;
  careerStage: string;
  text: string;
  themes: string[];
  minute: number;
}

// Each theme in each language: two phrasings where the story depends on it.
const P: Record<string, Record<Lang, string[]>> = {
  mentoring: {
    en: [
      'a mentoring programme that matches every new librarian with a senior mentor',
      'mentoring by experienced directors for early-career staff',
    ],
    es: [
      'un programa de mentoría que une a cada bibliotecaria nueva con una mentora con experiencia',
      'la mentoría entre generaciones de bibliotecarios',
    ],
    fr: [
      'un programme de mentorat qui associe chaque nouveau bibliothécaire à un mentor expérimenté',
      'le mentorat des jeunes professionnels par des directeurs',
    ],
    pt: [
      'um programa de mentoria que junta cada bibliotecário novo a um mentor experiente',
      'a mentoria entre colegas de gerações diferentes',
    ],
    ar: ['برنامج إرشاد يربط كل أمين مكتبة جديد بمرشد ذي خبرة', 'الإرشاد المهني للشباب من قبل المديرين'],
    zh: ['为每位新馆员配一位资深导师的导师制', '资深馆长对青年馆员的导师指导'],
    ru: [
      'программа наставничества, где у каждого молодого библиотекаря есть наставник',
      'наставничество опытных директоров для молодых специалистов',
    ],
    de: [
      'ein Mentoring-Programm, das jede neue Bibliothekarin mit einer erfahrenen Mentorin verbindet',
      'Mentoring durch erfahrene Leitungen für Berufseinsteigende',
    ],
  },
  coaching: {
    en: ['regular coaching sessions with a leadership coach', 'coaching for newly appointed managers'],
    es: ['sesiones de coaching con una coach de liderazgo', 'coaching para nuevos jefes de sección'],
    fr: ['des séances de coaching avec un coach en leadership', 'du coaching pour les nouveaux responsables'],
    pt: ['sessões de coaching com um coach de liderança', 'coaching para novos chefes'],
    ar: ['جلسات تدريب فردي (كوتشينغ) مع مدرب قيادة', 'الكوتشينغ للمديرين الجدد'],
    zh: ['定期与领导力教练进行的教练辅导', '新任主管的教练辅导'],
    ru: ['регулярные сессии коучинга с коучем по лидерству', 'коучинг для начинающих руководителей'],
    de: ['regelmäßiges Coaching mit einem Führungscoach', 'Peer-Coaching für neue Teamleitungen'],
  },
  networking: {
    en: ['a peer network of young library leaders across the region'],
    es: ['una red de contactos de jóvenes líderes bibliotecarios de la región'],
    fr: ['un réseau de jeunes responsables de bibliothèques dans la région'],
    pt: ['uma rede de contactos de jovens líderes de bibliotecas'],
    ar: ['شبكة علاقات مهنية بين القادة الشباب في المكتبات'],
    zh: ['区域青年图书馆领导者交流网络'],
    ru: ['сеть профессиональных контактов молодых руководителей библиотек'],
    de: ['ein Netzwerk junger Bibliotheksleitungen in der Region'],
  },
  association_volunteering: {
    en: ['seats for early-career members on the association board and its committees'],
    es: ['puestos para jóvenes en la junta y los comités de la asociación'],
    fr: ['des places pour les jeunes dans le conseil et les comités de l’association'],
    pt: ['lugares para jovens na direção e nas comissões da associação'],
    ar: ['مقاعد للأعضاء الجدد في مجلس الجمعية ولجانها'],
    zh: ['在协会理事会和委员会中为青年会员设立席位'],
    ru: ['места для молодых членов в правлении и комитетах ассоциации'],
    de: ['Plätze für Berufseinsteigende im Vorstand und in den Ausschüssen des Verbands'],
  },
  team_building: {
    en: [
      'team building that mixes new and senior staff',
      'building strong teams before asking people to lead them',
    ],
    es: [
      'actividades de construcción de equipos que mezclen personal nuevo y veterano',
      'formar equipos unidos',
    ],
    fr: ['la cohésion d’équipe entre nouveaux et anciens collègues', 'construire des équipes soudées'],
    pt: [
      'atividades de construção de equipas com pessoal novo e experiente',
      'formar equipas fortes e unidas',
    ],
    ar: ['بناء فرق عمل تجمع الموظفين الجدد والقدامى', 'بناء الفريق وتعزيز روح العمل الجماعي'],
    zh: ['新老员工一起参加的团队建设', '先建设有凝聚力的团队'],
    ru: ['командообразование, объединяющее новых и опытных сотрудников', 'построение сплочённой команды'],
    de: [
      'Teambildung, die neue und erfahrene Mitarbeitende zusammenbringt',
      'starke Teams aufbauen, bevor man Führung verlangt',
    ],
  },
  leading_in_crisis: {
    en: [
      'preparing to lead through a crisis, like the pandemic closures',
      'preparing leaders for crisis management and emergencies',
    ],
    es: [
      'preparación para liderar en tiempos de crisis como la pandemia',
      'formación en gestión de crisis para directivos',
    ],
    fr: [
      'apprendre à diriger en temps de crise, comme pendant la pandémie',
      'la préparation des responsables à la gestion de crise',
    ],
    pt: [
      'preparação para liderar em tempos de crise, como na pandemia',
      'formação em gestão de crises para líderes',
    ],
    ar: ['التدريب على القيادة في أوقات الأزمات مثل إغلاق الجائحة', 'إعداد القادة لإدارة الأزمات والطوارئ'],
    zh: ['学习在危机时期领导，比如疫情闭馆期间', '为管理者做好危机管理准备'],
    ru: [
      'подготовка к руководству в кризисных ситуациях, как во время пандемии',
      'обучение управлению в кризис',
    ],
    de: [
      'Führen in Krisenzeiten lernen, etwa bei den Schließungen in der Pandemie',
      'Krisenmanagement für Leitungskräfte',
    ],
  },
  succession_planning: {
    en: ['succession planning so that directors prepare their successors'],
    es: ['un plan de sucesión para preparar a la próxima generación de directores'],
    fr: ['une planification de la relève des directeurs'],
    pt: ['um plano de sucessão para preparar a próxima geração'],
    ar: ['التخطيط للتعاقب الوظيفي لإعداد الجيل القادم من المديرين'],
    zh: ['制定接班人计划，培养下一代馆长'],
    ru: ['планирование преемственности для подготовки следующего поколения руководителей'],
    de: ['Nachfolgeplanung, damit Leitungen ihre Nachfolge vorbereiten'],
  },
  inclusive_recruitment: {
    en: ['inclusive recruitment that opens leadership posts to underrepresented groups'],
    es: ['una contratación inclusiva que abra los puestos directivos a grupos infrarrepresentados'],
    fr: ['un recrutement inclusif qui ouvre les postes de direction à la diversité'],
    pt: ['um recrutamento inclusivo que abra cargos de liderança à diversidade'],
    ar: ['توظيف شامل يفتح المناصب القيادية للفئات الأقل تمثيلا'],
    zh: ['包容性招聘，让更多元的人才担任领导职位'],
    ru: ['инклюзивный найм, открывающий руководящие должности для разных групп'],
    de: ['inklusive Personalgewinnung, die Leitungsstellen für Vielfalt öffnet'],
  },
  communication: {
    en: [
      'better communication between the board and the members',
      'clearer communication from management about decisions',
    ],
    es: [
      'mejor comunicación entre la junta directiva y los socios',
      'una comunicación más clara de la dirección',
    ],
    fr: [
      'une meilleure communication entre le bureau et les membres',
      'une communication plus claire de la direction',
    ],
    pt: ['melhor comunicação entre a direção e os associados', 'comunicação mais clara das chefias'],
    ar: ['تواصل أفضل بين مجلس الجمعية وأعضائها', 'تواصل أوضح من الإدارة حول القرارات'],
    zh: ['理事会与会员之间更好的沟通', '管理层更清晰的沟通'],
    ru: [
      'лучшая коммуникация между правлением и членами ассоциации',
      'более понятное общение руководства с коллективом',
    ],
    de: ['bessere Kommunikation zwischen Vorstand und Mitgliedern', 'klarere Kommunikation der Leitung'],
  },
  leadership_training: {
    en: ['leadership training for new professionals', 'leadership courses and workshops'],
    es: ['formación en liderazgo para nuevos profesionales', 'cursos y talleres de liderazgo'],
    fr: [
      'des formations au leadership pour les jeunes professionnels',
      'des ateliers de formation en leadership abordables',
    ],
    pt: ['formação em liderança para novos profissionais', 'cursos e oficinas de liderança acessíveis'],
    ar: ['تدريب على القيادة للمهنيين الجدد', 'دورات وورش عمل في القيادة بتكلفة معقولة'],
    zh: ['面向新馆员的领导力培训', '价格合理的领导力课程和工作坊'],
    ru: ['обучение лидерству для молодых специалистов', 'доступные курсы и тренинги по лидерству'],
    de: ['Führungskräftetraining für Berufseinsteigende', 'bezahlbare Führungsseminare und Workshops'],
  },
  funding: {
    en: ['funding and grants for professional development'],
    es: ['financiación y becas para el desarrollo profesional'],
    fr: ['des financements et des bourses pour le développement professionnel'],
    pt: ['financiamento e bolsas para desenvolvimento profissional'],
    ar: ['تمويل ومنح للتطوير المهني'],
    zh: ['职业发展的资金和补助'],
    ru: ['финансирование и гранты на профессиональное развитие'],
    de: ['Fördermittel und Stipendien für die berufliche Entwicklung'],
  },
  workload_time: {
    en: ['protected time away from the daily workload to learn'],
    es: ['tiempo protegido fuera de la carga de trabajo diaria para aprender'],
    fr: ['du temps dégagé de la charge de travail quotidienne pour apprendre'],
    pt: ['tempo protegido da carga de trabalho diária para aprender'],
    ar: ['وقت مخصص للتعلم بعيدا عن عبء العمل اليومي'],
    zh: ['从日常繁重工作中抽出学习的时间'],
    ru: ['время для обучения без повседневной нагрузки'],
    de: ['geschützte Zeit abseits der täglichen Arbeitslast zum Lernen'],
  },
};

const FRAMES: Record<Lang, Record<DemoKind, string[]>> = {
  en: {
    best_practice: ['What works in our association: {p}.', 'Our best practice is {p}.'],
    recommendation: ['My recommendation: {p}.', 'Associations should invest in {p}.'],
    need: ['What we need most: {p}.', 'We really need {p}.'],
  },
  es: {
    best_practice: ['Lo que funciona en nuestra asociación: {p}.', 'Nuestra mejor práctica es {p}.'],
    recommendation: ['Mi recomendación: {p}.', 'Las asociaciones deberían apostar por {p}.'],
    need: ['Lo que más necesitamos: {p}.', 'Nos hace falta {p}.'],
  },
  fr: {
    best_practice: ['Ce qui marche chez nous : {p}.', 'Notre bonne pratique : {p}.'],
    recommendation: ['Ma recommandation : {p}.', 'Je recommande aux associations : {p}.'],
    need: ['Ce dont nous avons le plus besoin : {p}.', 'Il nous faut {p}.'],
  },
  pt: {
    best_practice: ['O que funciona na nossa associação: {p}.', 'A nossa boa prática é {p}.'],
    recommendation: ['A minha recomendação: {p}.', 'As associações deviam apostar em {p}.'],
    need: ['O que mais precisamos: {p}.', 'Falta-nos {p}.'],
  },
  ar: {
    best_practice: ['ما ينجح في جمعيتنا: {p}.', 'أفضل ممارسة لدينا هي {p}.'],
    recommendation: ['توصيتي: {p}.', 'أوصي الجمعيات بـ{p}.'],
    need: ['أكثر ما نحتاجه: {p}.', 'نحتاج حقا إلى {p}.'],
  },
  zh: {
    best_practice: ['我们协会行之有效的做法：{p}。', '我们的最佳实践是{p}。'],
    recommendation: ['我的建议：{p}。', '协会应该投入{p}。'],
    need: ['我们最需要的是：{p}。', '我们迫切需要{p}。'],
  },
  ru: {
    best_practice: ['Что у нас хорошо работает: {p}.', 'Наша лучшая практика: {p}.'],
    recommendation: ['Моя рекомендация: {p}.', 'Ассоциациям стоит вложиться в следующее: {p}.'],
    need: ['Больше всего нам нужно: {p}.', 'Нам очень не хватает: {p}.'],
  },
  de: {
    best_practice: ['Was bei uns gut funktioniert: {p}.', 'Unsere bewährte Praxis: {p}.'],
    recommendation: ['Meine Empfehlung: {p}.', 'Verbände sollten investieren in: {p}.'],
    need: ['Was wir am dringendsten brauchen: {p}.', 'Uns fehlt vor allem: {p}.'],
  },
};
const AND: Record<Lang, string> = {
  en: ' and ',
  es: ' y ',
  fr: ' et ',
  pt: ' e ',
  ar: ' و',
  zh: '，以及',
  ru: ' и ',
  de: ' und ',
};

// Theme weights per kind: the founding story's themes lead, others give each region its colour.
const WEIGHTS: Record<DemoKind, [string, number][]> = {
  best_practice: [
    ['mentoring', 10],
    ['coaching', 8],
    ['networking', 3],
    ['association_volunteering', 3],
    ['inclusive_recruitment', 2],
  ],
  recommendation: [
    ['team_building', 9],
    ['leading_in_crisis', 8],
    ['succession_planning', 3],
    ['inclusive_recruitment', 3],
    ['mentoring', 2],
  ],
  need: [
    ['communication', 9],
    ['leadership_training', 10],
    ['funding', 3],
    ['workload_time', 3],
  ],
};

/** Languages heard in each region's session, most frequent first. */
export const REGION_LANGUAGES: Record<string, Lang[]> = {
  asia_oceania: ['en', 'zh', 'en'],
  europe: ['en', 'fr', 'de', 'ru', 'es'],
  latin_america_caribbean: ['es', 'pt', 'es', 'en'],
  middle_east_north_africa: ['ar', 'fr', 'en', 'ar'],
  north_america: ['en', 'fr', 'en', 'es'],
  sub_saharan_africa: ['en', 'fr', 'pt', 'en'],
};
// A region's extra emphasis, so "distinctive per region" has something to say.
const REGION_BOOST: Record<string, [DemoKind, string, number]> = {
  latin_america_caribbean: ['need', 'funding', 5],
  middle_east_north_africa: ['best_practice', 'networking', 8],
  north_america: ['recommendation', 'inclusive_recruitment', 7],
  sub_saharan_africa: ['need', 'workload_time', 6],
};

const STAGES = ['new professional', 'mid-career', 'senior'];

function pick<T>(rnd: () => number, weighted: [T, number][]): T {
  const total = weighted.reduce((a, [, w]) => a + w, 0);
  let x = rnd() * total;
  for (const [v, w] of weighted) {
    x -= w;
    if (x < 0) return v;
  }
  return weighted[weighted.length - 1][0];
}

/** Composes the demo answers: `perKind` per region and prompt kind, the same on every run. */
export function composeDemoAnswers(perKind = 16, seed = 2022): DemoAnswer[] {
  const rnd = createRandom(seed);
  const out: DemoAnswer[] = [];
  for (const region of Object.keys(REGION_LANGUAGES)) {
    (['best_practice', 'recommendation', 'need'] as DemoKind[]).forEach((kind, k) => {
      const boost = REGION_BOOST[region];
      const weights: [string, number][] = WEIGHTS[kind].map(([t, w]) => [t, w]);
      if (boost && boost[0] === kind) weights.push([boost[1], boost[2]]);
      for (let i = 0; i < perKind; i++) {
        const language = REGION_LANGUAGES[region][Math.floor(rnd() * REGION_LANGUAGES[region].length)];
        const first = pick(rnd, weights);
        const themes = [first];
        if (rnd() < 0.3) {
          const second = pick(
            rnd,
            weights.filter(([t]) => t !== first),
          );
          themes.push(second);
        }
        const phrases = themes.map((t) => {
          const ps = P[t][language];
          return ps[Math.floor(rnd() * ps.length)];
        });
        const frames = FRAMES[language][kind];
        const text = frames[Math.floor(rnd() * frames.length)].replace('{p}', phrases.join(AND[language]));
        out.push({
          region,
          kind,
          language,
          careerStage: STAGES[Math.floor(rnd() * STAGES.length)],
          text,
          themes,
          minute: 20 + k * 20 + Math.floor(rnd() * 18),
        });
      }
    });
  }
  return out;
}
