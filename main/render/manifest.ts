/**
 * The plan as one multi-document YAML, objects in wave order: what
 * `kubectl apply --server-side -f` takes.
 */
import { stringify } from 'yaml';
import type { Plan } from './types';

export function manifestYaml(plan: Plan): string {
  const header = `# ${plan.environment.template} ${plan.environment.templateVersion}, environment ${plan.environment.name} (namespace ${plan.environment.namespace}), rendered by AF Provisioner.\n# Apply with: kubectl apply --server-side --field-manager=afp -f <this file>\n`;
  return header + plan.objects.map((object) => `---\n${stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('');
}
