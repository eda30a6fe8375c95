// The finding sentences in the seven languages of a series, as ICU MessageFormat (intl-messageformat).
// Nouns are stored in the form the sentences need (French after "les", Russian genitive after "среди",
// German dative after "bei den"), so no sentence has to inflect a label. Group and theme names are
// labels passed in by the caller, never keys.

/** The messages of one language. */
export interface FindingMessages {
  /** Prompt kinds as the sentences name them. */
  kinds: Record<'best_practice' | 'recommendation' | 'need' | 'all', string>;
  /** "the regions" and "the groups" as the "across" phrase needs them. */
  regions: string;
  groups: string;
  top: string;
  figure: string;
  distinctive: string;
  notHeldSupport: string;
  notHeldQ: string;
  engineNote: string;
}

/** Languages the sentences are written in. */
export const FINDING_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'de', 'ru', 'es'] as const;
export type FindingLanguage = (typeof FINDING_LANGUAGES)[number];

export const FINDING_MESSAGES: Record<FindingLanguage, FindingMessages> = {
  en: {
    kinds: {
      best_practice: 'best practices',
      recommendation: 'recommendations',
      need: 'needs',
      all: 'themes',
    },
    regions: 'the regions',
    groups: 'the groups',
    top: '{across, select, yes {Across {groupNoun}} other {Overall}}, the most mentioned {kind} {themes, plural, one {is} other {are}} {list}.',
    figure: '{theme} ({count} of {n}, {share, number, percent})',
    distinctive:
      '{theme} stands out in {group} among {kind}: {count} of {n, plural, one {# response} other {# responses}} ({share, number, percent}) against {otherShare, number, percent} elsewhere (Benjamini–Hochberg q {q}).',
    notHeldSupport:
      'Not claimed: only {count, plural, one {# mention} other {# mentions}} in the group, at least {min} needed.',
    notHeldQ:
      'Not claimed: it does not survive the correction for {tests, plural, one {# test} other {# tests}} (q {q}).',
    engineNote: 'Coded by the engine; {checked} of {units} checked by people.',
  },
  fr: {
    kinds: {
      best_practice: 'bonnes pratiques',
      recommendation: 'recommandations',
      need: 'besoins',
      all: 'thèmes',
    },
    regions: 'des régions',
    groups: 'des groupes',
    top: '{across, select, yes {Dans l’ensemble {groupNoun}} other {Dans l’ensemble}}, ce qui revient le plus parmi les {kind} : {list}.',
    figure: '{theme} ({count} sur {n}, {share, number, percent})',
    distinctive:
      '{group} : {theme} ressort parmi les {kind} : {count} sur {n, plural, one {# réponse} other {# réponses}} ({share, number, percent}) contre {otherShare, number, percent} ailleurs (q de Benjamini–Hochberg {q}).',
    notHeldSupport:
      'Non retenu : seulement {count, plural, one {# mention} other {# mentions}} dans le groupe, il en faut au moins {min}.',
    notHeldQ:
      'Non retenu : ne résiste pas à la correction pour {tests, plural, one {# test} other {# tests}} (q {q}).',
    engineNote: 'Codé par le moteur ; {checked} sur {units} vérifiés par des personnes.',
  },
  de: {
    kinds: {
      best_practice: 'bewährten Verfahren',
      recommendation: 'Empfehlungen',
      need: 'Bedürfnissen',
      all: 'Themen',
    },
    regions: 'alle Regionen',
    groups: 'alle Gruppen',
    top: '{across, select, yes {Über {groupNoun} hinweg} other {Insgesamt}} werden bei den {kind} am häufigsten genannt: {list}.',
    figure: '{theme} ({count} von {n}, {share, number, percent})',
    distinctive:
      '{group}: {theme} sticht bei den {kind} hervor – {count} von {n, plural, one {# Antwort} other {# Antworten}} ({share, number, percent}) gegenüber {otherShare, number, percent} anderswo (Benjamini–Hochberg-q {q}).',
    notHeldSupport:
      'Nicht belegt: nur {count, plural, one {# Nennung} other {# Nennungen}} in der Gruppe, mindestens {min} nötig.',
    notHeldQ:
      'Nicht belegt: hält der Korrektur für {tests, plural, one {# Test} other {# Tests}} nicht stand (q {q}).',
    engineNote: 'Von der Engine kodiert; {checked} von {units} von Menschen geprüft.',
  },
  es: {
    kinds: {
      best_practice: 'las buenas prácticas',
      recommendation: 'las recomendaciones',
      need: 'las necesidades',
      all: 'los temas',
    },
    regions: 'todas las regiones',
    groups: 'todos los grupos',
    top: '{across, select, yes {En {groupNoun}} other {En conjunto}}, lo más mencionado entre {kind}: {list}.',
    figure: '{theme} ({count} de {n}, {share, number, percent})',
    distinctive:
      '{group}: {theme} destaca entre {kind}: {count} de {n, plural, one {# respuesta} other {# respuestas}} ({share, number, percent}) frente a {otherShare, number, percent} en el resto (q de Benjamini–Hochberg {q}).',
    notHeldSupport:
      'No se afirma: solo {count, plural, one {# mención} other {# menciones}} en el grupo; hacen falta al menos {min}.',
    notHeldQ:
      'No se afirma: no resiste la corrección por {tests, plural, one {# prueba} other {# pruebas}} (q {q}).',
    engineNote: 'Codificado por el motor; {checked} de {units} revisados por personas.',
  },
  ru: {
    kinds: {
      best_practice: 'лучших практик',
      recommendation: 'рекомендаций',
      need: 'потребностей',
      all: 'тем',
    },
    regions: 'всех регионах',
    groups: 'всех группах',
    top: '{across, select, yes {Во {groupNoun}} other {В целом}} чаще всего среди {kind} упоминаются: {list}.',
    figure: '{theme} ({count} из {n}, {share, number, percent})',
    distinctive:
      '{group}: «{theme}» выделяется среди {kind} — {count} из {n, plural, one {# ответа} few {# ответов} many {# ответов} other {# ответа}} ({share, number, percent}) против {otherShare, number, percent} в остальных (q по Бенджамини–Хохбергу {q}).',
    notHeldSupport:
      'Не подтверждено: в группе только {count, plural, one {# упоминание} few {# упоминания} many {# упоминаний} other {# упоминания}}, нужно не менее {min}.',
    notHeldQ:
      'Не подтверждено: не выдерживает поправки на {tests, plural, one {# проверку} few {# проверки} many {# проверок} other {# проверки}} (q {q}).',
    engineNote: 'Закодировано системой; {checked} из {units} проверено людьми.',
  },
  zh: {
    kinds: { best_practice: '良好做法', recommendation: '建议', need: '需求', all: '主题' },
    regions: '各地区',
    groups: '各组',
    top: '{across, select, yes {在{groupNoun}中} other {总体而言}}，提及最多的{kind}是：{list}。',
    figure: '{theme}（{n}条中{count}条，{share, number, percent}）',
    distinctive:
      '{theme}在{group}的{kind}中尤为突出：{n}条回答中有{count}条（{share, number, percent}），其他地方为{otherShare, number, percent}（Benjamini–Hochberg 校正 q {q}）。',
    notHeldSupport: '不作结论：该组仅提及{count}次，至少需要{min}次。',
    notHeldQ: '不作结论：经{tests}项检验的多重比较校正后不成立（q {q}）。',
    engineNote: '由引擎编码；{units}条中有{checked}条经人工核对。',
  },
  ar: {
    kinds: {
      best_practice: 'الممارسات الجيدة',
      recommendation: 'التوصيات',
      need: 'الاحتياجات',
      all: 'المواضيع',
    },
    regions: 'المناطق',
    groups: 'المجموعات',
    top: '{across, select, yes {عبر {groupNoun}} other {إجمالًا}}، الأكثر ذكرًا من {kind}: {list}.',
    figure: '{theme} ({count} من {n}، {share, number, percent})',
    distinctive:
      '{group}: يبرز {theme} ضمن {kind}: {count} من {n, plural, zero {# إجابة} one {# إجابة} two {# إجابة} few {# إجابات} many {# إجابة} other {# إجابة}} ({share, number, percent}) مقابل {otherShare, number, percent} في غيرها (q بعد تصحيح بنجاميني–هوشبرغ {q}).',
    notHeldSupport:
      'لا يُعتمد: {count, plural, zero {لا ذكر} one {ذكر واحد} two {ذكران} few {# مرات ذكر} many {# مرة ذكر} other {# مرة ذكر}} فقط في المجموعة، والحد الأدنى {min}.',
    notHeldQ:
      'لا يُعتمد: لا يصمد بعد التصحيح لـ{tests, plural, zero {# اختبار} one {اختبار واحد} two {اختبارين} few {# اختبارات} many {# اختبارًا} other {# اختبار}} (q {q}).',
    engineNote: 'رمّزه المحرّك؛ راجع الأشخاص {checked} من {units}.',
  },
};
