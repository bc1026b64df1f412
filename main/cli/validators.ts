/**
 * What `afp validate` can check, by the document's `kind`. A new kind (the
 * site profile, later) is one entry here.
 */
import type { ApiErrorShape } from '../errors';
import { parseTemplate } from '../catalogue/template';
import { checkTemplate } from '../render/check-template';
import { validateProfileText } from '../site/profile-load';

export interface Validation {
  errors: ApiErrorShape[];
  /** One line on success, e.g. "template dask 1.0.0: 3 parameters, 3 presets". */
  summary?: string;
}

export type Validator = (text: string, file: string) => Promise<Validation>;

export const VALIDATORS: Record<string, Validator> = {
  SiteProfile: validateProfileText,
  Template: (text, file) => {
    const result = parseTemplate(text, file);
    if (!result.ok) return Promise.resolve({ errors: result.errors });
    const errors = checkTemplate(result.template);
    const { spec } = result.template;
    const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
    return Promise.resolve({
      errors,
      summary: `template ${spec.metadata.name} ${spec.metadata.version}: ${count(Object.keys(spec.parameters ?? {}).length, 'parameter')}, ${count((spec.presets ?? []).length, 'preset')}, ${count(Object.keys(spec.components).length, 'component')}`,
    });
  },
};
