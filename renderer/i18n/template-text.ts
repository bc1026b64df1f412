/**
 * A template's card and form in the user's language: the words its
 * `translations` give for that language, else the template's own.
 */
import type { ParameterView, PresetView, TemplateCard, TemplateDetail } from '../../main/api';

type Translation = NonNullable<TemplateCard['translations']>[string];

function translationOf(card: TemplateCard, language: string): Translation | undefined {
  return card.translations?.[language];
}

export function localCard(card: TemplateCard, language: string): TemplateCard {
  const words = translationOf(card, language);
  if (words === undefined) return card;
  return { ...card, title: words.title ?? card.title, description: words.description ?? card.description };
}

function localParameter(parameter: ParameterView, words: Translation): ParameterView {
  const own = words.parameters?.[parameter.name];
  const group = parameter.group === undefined ? undefined : (words.groups?.[parameter.group] ?? parameter.group);
  const view: ParameterView = { ...parameter, title: own?.title ?? parameter.title };
  if (group !== undefined) view.group = group;
  if (own?.help !== undefined) view.help = own.help;
  if (own?.unit !== undefined) view.unit = own.unit;
  if (parameter.options !== undefined && own?.labels !== undefined) {
    view.options = parameter.options.map((option) => ({ ...option, label: own.labels?.[option.value] ?? option.label }));
  }
  return view;
}

function localPreset(preset: PresetView, words: Translation): PresetView {
  const own = words.presets?.[preset.name];
  if (own === undefined) return preset;
  const view: PresetView = { ...preset, title: own.title ?? preset.title };
  if (own.description !== undefined) view.description = own.description;
  return view;
}

export function localDetail(detail: TemplateDetail, language: string): TemplateDetail {
  const words = translationOf(detail.card, language);
  if (words === undefined) return detail;
  return {
    card: localCard(detail.card, language),
    parameters: detail.parameters.map((parameter) => localParameter(parameter, words)),
    presets: detail.presets.map((preset) => localPreset(preset, words)),
  };
}
