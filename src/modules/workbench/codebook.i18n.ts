// The codebook's translation form: one theme at a time (chosen with a plain GET form, so it works
// without JavaScript), its name and description in each language, untranslated ones marked.
import type { FastifyRequest } from 'fastify';
import { html, type Html } from '../../lib/html.ts';
import { sourceLanguage, translationLanguages, type Translations } from '../../lib/translations.ts';
import type { FormBody } from '../../server/forms.ts';
import { translationFields, translationMessages, translationsFromForm } from '../../server/forms.i18n.ts';
import { csrfField, field } from '../../server/layout.ts';
import { themeTranslations } from './labels.ts';
import { wbPath } from './workbench.view.ts';
import type { WbThemeTable } from './workbench.tables.ts';

const languagesOf = (seriesLanguages: string) =>
  translationLanguages(sourceLanguage(seriesLanguages), seriesLanguages);

/** The theme chooser and the chosen theme's fields per language (`?translate=<key>`, else the first theme). */
export function themeTranslationForm(
  req: FastifyRequest,
  s: { id: string; languages: string },
  themes: readonly WbThemeTable[],
  errors: Record<string, string> = {},
  v: FormBody = {},
): Html | '' {
  const t = translationMessages.t(req.lang);
  const asked = v.action === 'translate' ? v.key : (req.query as { translate?: unknown }).translate;
  const th = themes.find((x) => x.key === asked) ?? themes[0];
  if (!th) return '';
  const langs = languagesOf(s.languages);
  const source = sourceLanguage(s.languages);
  const stored = themeTranslations(th);
  const refused = v.action === 'translate' && v.key === th.key;
  const opts = themes.map((x) => ({ value: x.key, label: x.label }));
  return html`<h2 id="translate">${t('tr.themes')}</h2>
    <form method="get" action="${wbPath(s.id)}/codebook#translate" class="row">
      ${field('translate', t('tr.theme'), { id: 't-choose', options: opts, value: th.key })}
      <button type="submit">${t('tr.choose')}</button>
    </form>
    <form method="post" action="${wbPath(s.id)}/codebook#translate" novalidate>
      ${csrfField(req)}<input type="hidden" name="action" value="translate" /><input
        type="hidden"
        name="key"
        value="${th.key}"
      />
      ${translationFields({
        name: 'label',
        label: `${t('tr.theme.label')} · ${th.label}`,
        uiLang: req.lang,
        source: { text: th.label, lang: source },
        values: refused ? translationsFromForm(v, 'label', langs) : stored.labels,
        langs,
        errors,
        idPrefix: 't',
      })}
      ${translationFields({
        name: 'description',
        label: `${t('tr.theme.description')} · ${th.label}`,
        uiLang: req.lang,
        source: { text: th.description, lang: source },
        values: refused ? translationsFromForm(v, 'description', langs) : stored.descriptions,
        langs,
        errors,
        textarea: true,
        idPrefix: 't',
      })}
      <button type="submit">${t('tr.save')}</button>
    </form>`;
}

/** The translations the form sent. */
export function themeTranslationsFromForm(
  b: FormBody,
  seriesLanguages: string,
): { labels: Translations; descriptions: Translations } {
  const langs = languagesOf(seriesLanguages);
  return {
    labels: translationsFromForm(b, 'label', langs),
    descriptions: translationsFromForm(b, 'description', langs),
  };
}
