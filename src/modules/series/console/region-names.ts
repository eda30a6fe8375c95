// The overview's form for region names in other languages: one multi-language field per region.
import type { FastifyRequest } from 'fastify';
import { html, type Html } from '../../../lib/html.ts';
import { sourceLanguage, translationLanguages, type Translations } from '../../../lib/translations.ts';
import type { FormBody, FormErrors } from '../../../server/forms.ts';
import {
  translationAlert,
  translationFields,
  translationMessages,
  translationsFromForm,
} from '../../../server/forms.i18n.ts';
import { csrfField } from '../../../server/layout.ts';

interface RegionsOf {
  id: string;
  languages: string[];
  regions: { key: string; name: string; names: Translations }[];
}

const fieldName = (key: string) => `name_${key}`;
const languagesOf = (d: RegionsOf) => translationLanguages(sourceLanguage(d.languages), d.languages);

/** The form: each region's source name and a field per language, untranslated ones marked. */
export function regionNamesForm(
  req: FastifyRequest,
  d: RegionsOf,
  errors: FormErrors = {},
  values?: FormBody,
): Html {
  const t = translationMessages.t(req.lang);
  const langs = languagesOf(d);
  const source = sourceLanguage(d.languages);
  const fields = d.regions.map((r) => ({ name: fieldName(r.key), label: r.name }));
  return html`<h2 id="region-names">${t('tr.regions')}</h2>
    ${translationAlert(req.lang, errors, fields, langs)}
    <form method="post" action="/console/series/${d.id}/region-names" novalidate>
      ${csrfField(req)}
      ${d.regions.map((r) =>
        translationFields({
          name: fieldName(r.key),
          label: r.name,
          uiLang: req.lang,
          source: { text: r.name, lang: source },
          values: values ? translationsFromForm(values, fieldName(r.key), langs) : r.names,
          langs,
          errors,
        }),
      )}
      <button type="submit">${t('tr.save')}</button>
    </form>`;
}

/** What the form sent: region key → language → name. */
export function regionNamesFromForm(body: FormBody, d: RegionsOf): Record<string, Translations> {
  const langs = languagesOf(d);
  return Object.fromEntries(
    d.regions.map((r) => [r.key, translationsFromForm(body, fieldName(r.key), langs)]),
  );
}
