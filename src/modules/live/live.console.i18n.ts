// The live console's translation form: one prompt at a time (chosen with a plain GET form, so it works
// without JavaScript), its text, choices and scale labels in each language, untranslated ones marked.
import type { FastifyRequest } from 'fastify';
import { html, raw, type Html } from '../../lib/html.ts';
import { translationLanguages } from '../../lib/translations.ts';
import type { FormBody, FormErrors } from '../../server/forms.ts';
import {
  translationAlert,
  translationFields,
  translationMessages,
  translationsFromForm,
} from '../../server/forms.i18n.ts';
import { csrfField, field } from '../../server/layout.ts';
import type { PromptOut } from './live.events.ts';
import { localise } from './live.render.ts';
import type { PromptTranslations } from './live.service.ts';

/** A prompt's source language: the first one its text was given in. */
const sourceOf = (p: PromptOut) => Object.keys(p.text)[0] ?? 'en';

/** The multi-language texts of a prompt, each with its field name and label key. */
function partsOf(p: PromptOut) {
  const parts: {
    name: string;
    label: 'tr.prompt.text' | 'tr.prompt.choice' | 'tr.prompt.minLabel' | 'tr.prompt.maxLabel';
    n?: number;
    text: Record<string, string>;
  }[] = [{ name: 'text', label: 'tr.prompt.text', text: p.text }];
  p.choices.forEach((c, i) =>
    parts.push({ name: `choice_${c.id}`, label: 'tr.prompt.choice', n: i + 1, text: c.text }),
  );
  if (p.type === 'scale') {
    parts.push({ name: 'minLabel', label: 'tr.prompt.minLabel', text: p.settings.minLabel ?? {} });
    parts.push({ name: 'maxLabel', label: 'tr.prompt.maxLabel', text: p.settings.maxLabel ?? {} });
  }
  return parts;
}

/** The chooser and the chosen prompt's fields per language (`?translate=<prompt id>`, else the current one). */
export function promptTranslationForm(
  req: FastifyRequest,
  o: {
    action: string;
    page: string;
    prompts: readonly PromptOut[];
    current: string | null;
    seriesLanguages: readonly string[];
    errors?: FormErrors;
    values?: FormBody;
  },
): Html | '' {
  const t = translationMessages.t(req.lang);
  const refused = !!o.values;
  const asked = refused ? o.values?.promptId : (req.query as { translate?: unknown }).translate;
  const p =
    o.prompts.find((x) => x.id === asked) ?? o.prompts.find((x) => x.id === o.current) ?? o.prompts[0];
  if (!p) return '';
  const source = sourceOf(p);
  const langs = translationLanguages(source, o.seriesLanguages);
  const open = refused || typeof asked === 'string';
  const parts = partsOf(p);
  return html`<details class="card" id="translate-prompt" ${open ? raw('open') : ''}>
    <summary>${t('tr.prompts')}</summary>
    <form method="get" action="${o.page}#translate-prompt" class="row">
      ${field('translate', t('tr.prompt'), {
        id: 'tp-choose',
        value: p.id,
        options: o.prompts.map((x) => ({ value: x.id, label: localise(x.text, source).slice(0, 80) })),
      })}
      <button type="submit">${t('tr.choose')}</button>
    </form>
    ${
      refused
        ? translationAlert(
            req.lang,
            o.errors ?? {},
            parts.map((part) => ({ name: part.name, label: t(part.label, { n: part.n ?? 0 }) })),
            langs,
            'tp',
          )
        : ''
    }
    <form method="post" action="${o.action}" novalidate>
      ${csrfField(req)}<input
        type="hidden"
        name="promptId"
        value="${p.id}"
      />
      ${parts.map((part) =>
        translationFields({
          name: part.name,
          label: t(part.label, { n: part.n ?? 0 }),
          uiLang: req.lang,
          source: { text: localise(part.text, source), lang: source },
          values: refused ? translationsFromForm(o.values ?? {}, part.name, langs) : part.text,
          langs,
          errors: refused ? o.errors : {},
          idPrefix: 'tp',
        }),
      )}
      <button type="submit">${t('tr.save')}</button>
    </form>
  </details>`;
}

/** What the form sent, for `translatePrompt`. */
export function promptTranslationsFromForm(
  body: FormBody,
  p: PromptOut | undefined,
  seriesLanguages: readonly string[],
): PromptTranslations {
  const langs = translationLanguages(p ? sourceOf(p) : 'en', seriesLanguages);
  const read = (name: string) => translationsFromForm(body, name, langs);
  return {
    langs,
    text: read('text'),
    choices: Object.fromEntries((p?.choices ?? []).map((c) => [c.id, read(`choice_${c.id}`)])),
    minLabel: read('minLabel'),
    maxLabel: read('maxLabel'),
  };
}
