/** What the renderer sees of a template: cards for the Catalogue, parameters and presets for Configure. */
import type { TemplateCard, TemplateErrorCard } from '../contract/catalogue';
import type { ParameterView, PresetView, TemplateDetail } from '../contract/plan';
import type { Catalogue } from '../catalogue/catalogue';
import type { LoadedTemplate } from '../catalogue/template';
import type { EffectiveParameter } from '../catalogue/values';

/** An inline <svg> icon travels as a data: URL, shown with <img> so none of its script can run. */
function iconOf(icon: string | undefined): string | undefined {
  if (icon === undefined) return undefined;
  return icon.trimStart().startsWith('<svg') ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(icon)}` : icon;
}

export function cardOf(template: LoadedTemplate): TemplateCard {
  const meta = template.spec.metadata;
  const card: TemplateCard = {
    name: template.name,
    title: meta.title,
    description: meta.description ?? '',
    version: meta.version,
    components: Object.keys(template.spec.components),
    source: template.origin,
    file: template.file,
  };
  const icon = iconOf(meta.icon);
  if (icon !== undefined) card.icon = icon;
  const translations = ownTranslations(template);
  if (translations !== undefined) card.translations = translations;
  return card;
}

/** The template's translations, less those of presets a site replaced: its words would describe other values. */
function ownTranslations(template: LoadedTemplate): TemplateCard['translations'] {
  const translations = template.spec.translations;
  if (translations === undefined) return undefined;
  const own = new Set(
    template.presets
      .filter((preset) => {
        const written = template.spec.presets?.find((p) => p.name === preset.name);
        return written !== undefined && written.title === preset.title && written.description === preset.description;
      })
      .map((preset) => preset.name),
  );
  return Object.fromEntries(
    Object.entries(translations).map(([language, words]) => [
      language,
      words.presets === undefined
        ? words
        : { ...words, presets: Object.fromEntries(Object.entries(words.presets).filter(([name]) => own.has(name))) },
    ]),
  );
}

export function cataloguePage(catalogue: Catalogue): { templates: TemplateCard[]; errors: TemplateErrorCard[] } {
  return {
    templates: catalogue.templates.map(cardOf),
    errors: catalogue.errors.map((error) => ({ file: error.file ?? '', error })),
  };
}

function parameterView(name: string, parameter: EffectiveParameter): ParameterView {
  const view: ParameterView = { name, type: parameter.type, title: parameter.title ?? name, default: parameter.default };
  if (parameter.help !== undefined) view.help = parameter.help;
  if (parameter.group !== undefined) view.group = parameter.group;
  if (parameter.unit !== undefined) view.unit = parameter.unit;
  if ('min' in parameter && parameter.min !== undefined) view.min = parameter.min;
  if ('max' in parameter && parameter.max !== undefined) view.max = parameter.max;
  if ('step' in parameter && parameter.step !== undefined) view.step = parameter.step;
  if (parameter.type === 'enum') view.options = parameter.values.map((value) => ({ value, label: parameter.labels?.[value] ?? value }));
  if (parameter.locked !== undefined) view.locked = parameter.locked;
  return view;
}

export function detailOf(template: LoadedTemplate): TemplateDetail {
  const presets: PresetView[] = template.presets.map((preset) => ({
    name: preset.name,
    title: preset.title ?? preset.name,
    description: preset.description,
    values: Object.fromEntries(
      Object.entries(preset.values).filter((entry): entry is [string, string | number | boolean] =>
        ['string', 'number', 'boolean'].includes(typeof entry[1]),
      ),
    ),
  }));
  return {
    card: cardOf(template),
    parameters: Object.entries(template.parameters).map(([name, parameter]) => parameterView(name, parameter)),
    presets,
  };
}
