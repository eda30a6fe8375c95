// The one form UI for content entered in several languages (region names, theme labels and
// descriptions, prompt texts): one field per language, named `<name>_<lang>`, written in its own
// direction, and a visible mark on each language that is still empty and so falls back to the source.
import { html, type Html } from '../lib/html.ts';
import { dirOf } from '../lib/i18n.ts';
import { cleanTranslations, type Translations } from '../lib/translations.ts';
import { formAlert, type FieldLabels, type FormBody, type FormErrors } from './forms.ts';
import { field } from './layout.ts';
import { messages } from './translations/messages/index.ts';

export { messages as translationMessages };

const displayNames = new Map<string, Intl.DisplayNames>();

/** A language's name in the reader's language ("anglais" for `en` to a French reader). */
export function languageName(uiLang: string, code: string): string {
  let dn = displayNames.get(uiLang);
  if (!dn) {
    dn = new Intl.DisplayNames([uiLang, 'en'], { type: 'language' });
    displayNames.set(uiLang, dn);
  }
  return dn.of(code) ?? code;
}

/** The editor's mark for a language with no translation: "not translated yet — shown in English". */
export function untranslatedMark(uiLang: string, sourceLang: string): string {
  return messages.t(uiLang)('tr.missing', { language: languageName(uiLang, sourceLang) });
}

/** The field name of one language of a multi-language field. */
export const translationField = (name: string, lang: string) => `${name}_${lang}`;

export interface TranslationFieldsOptions {
  /** Field names are `<name>_<lang>`. */
  name: string;
  /** What the text is, in the editor's language ("Region name"). */
  label: string;
  /** The editor's language. */
  uiLang: string;
  /** The source text and its language: what readers of an untranslated language see. */
  source: { text: string; lang: string };
  /** The translations to show: the stored ones, or what a refused form held. */
  values: Translations;
  /** The languages offered (the source language left out). */
  langs: readonly string[];
  errors?: FormErrors;
  textarea?: boolean;
  /** Prefix of the element ids, when the same name appears twice on a page. */
  idPrefix?: string;
}

/**
 * A fieldset with one field per language; an empty one says, next to its label, that readers of that
 * language see the source text instead.
 */
export function translationFields(o: TranslationFieldsOptions): Html {
  const t = messages.t(o.uiLang);
  const missing = untranslatedMark(o.uiLang, o.source.lang);
  return html`<fieldset class="translations">
    <legend>${t('tr.legend', { label: o.label })}</legend>
    <p class="hint">
      ${languageName(o.uiLang, o.source.lang)}:
      <span lang="${o.source.lang}" dir="${dirOf(o.source.lang)}" data-user-content>${o.source.text}</span>
    </p>
    ${o.langs.map((l) => {
      const name = translationField(o.name, l);
      const value = o.values[l] ?? '';
      return field(name, t('tr.field', { label: o.label, language: languageName(o.uiLang, l) }), {
        id: `${o.idPrefix ?? 'f'}-${name}`,
        value,
        errors: o.errors,
        textarea: o.textarea,
        hint: value.trim() ? undefined : missing,
        attrs: html`lang="${l}" dir="${dirOf(l)}" ${value.trim() ? '' : html`data-untranslated="${o.source.lang}"`}`,
      });
    })}
  </fieldset>`;
}

/**
 * The error summary of a form of multi-language fields: each wrong field named as its label says it
 * ("Region name in French") and linked to its element.
 */
export function translationAlert(
  uiLang: string,
  errors: FormErrors,
  fields: readonly { name: string; label: string }[],
  langs: readonly string[],
  idPrefix = 'f',
): Html | '' {
  const t = messages.t(uiLang);
  const labels: FieldLabels = {};
  for (const f of fields)
    for (const l of langs) {
      const name = translationField(f.name, l);
      labels[name] = {
        id: `${idPrefix}-${name}`,
        label: t('tr.field', { label: f.label, language: languageName(uiLang, l) }),
      };
    }
  return formAlert(errors, labels, t('tr.fixThese'));
}

/** The translations a form sent for `name` (`<name>_<lang>` for each offered language), empty ones left out. */
export function translationsFromForm(body: FormBody, name: string, langs: readonly string[]): Translations {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('\n') : (v ?? ''));
  return cleanTranslations(Object.fromEntries(langs.map((l) => [l, one(body[translationField(name, l)])])));
}
