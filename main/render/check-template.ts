/**
 * A template is only valid if it renders: with its defaults and with each
 * preset, expressions must evaluate, references must land and every object
 * must pass the Kubernetes schema. `afp validate` and the catalogue use this.
 */
import type { ApiErrorShape } from '../errors';
import type { LoadedTemplate } from '../catalogue/template';
import { isAfpError } from '../errors';
import { problemsOf } from '../yaml/problems';
import { renderPlan } from './plan';

// A fixed environment keeps the messages the same from one check to the next.
const CHECK_ENVIRONMENT = { name: 'template-check', id: 'template-check' };

export function checkTemplate(template: LoadedTemplate): ApiErrorShape[] {
  const runs: { label: string; values: Record<string, unknown> }[] = [
    { label: 'defaults', values: {} },
    ...template.presets.map((preset) => ({ label: `preset ${preset.name}`, values: preset.values })),
  ];
  const seen = new Map<string, ApiErrorShape>();
  for (const run of runs) {
    for (const domain of [undefined, 'apps.example.org']) {
      try {
        renderPlan({
          template,
          values: run.values,
          environment: CHECK_ENVIRONMENT,
          links: { ingressDomain: domain },
        });
      } catch (error) {
        if (!isAfpError(error)) throw error;
        for (const problem of problemsOf(error)) {
          const key = `${problem.file ?? ''}:${problem.line ?? ''}:${problem.field ?? ''}:${problem.message}`;
          if (!seen.has(key))
            seen.set(key, run.label === 'defaults' ? problem : { ...problem, message: `${problem.message} (with ${run.label})` });
        }
      }
    }
  }
  return [...seen.values()];
}
