/**
 * The owner's credentials of an IM or dispatcher environment, read at the
 * moment of asking from the TOSCA document IM stores for the infrastructure
 * (GET /infrastructures/<id>/tosca, with the same sign-in the app uses for its
 * state): IM's connector takes generated secrets only as literal values, so
 * IM holds them there already, and the app keeps no copy. The record says
 * where each value sits (main/render/tosca/credential-locators.ts). Nothing
 * is stored or logged; errors name the node and variable, never a value.
 */
import { parse } from 'yaml';
import { z } from 'zod';
import type { CredentialsView, CredentialView } from '../contract/credentials';
import { AfpError } from '../errors';
import type { CredentialRef, EnvironmentRecord, ToscaLocator } from '../inventory/record';
import type { ImClient } from '../targets/im/im-client';
import { infrastructureOf } from '../targets/kinds/traits';

// Only what a locator reads: container nodes' literal environment and file artifacts.
const storedTosca = z.object({
  topology_template: z.object({
    node_templates: z.record(
      z.string(),
      z.object({
        properties: z.object({ environment: z.record(z.string(), z.unknown()).optional() }).optional(),
        artifacts: z
          .record(z.string(), z.object({ deploy_path: z.string().optional(), properties: z.object({ content: z.unknown() }).optional() }))
          .optional(),
      }),
    ),
  }),
});
type StoredTosca = z.infer<typeof storedTosca>;

export async function readImCredentials(record: EnvironmentRecord, client: Pick<ImClient, 'tosca'>): Promise<CredentialsView> {
  const wanted = record.credentials ?? [];
  if (wanted.length === 0) return { credentials: [] };
  const id = infrastructureOf(record.target);
  if (id === undefined) return { credentials: [], unavailable: 'IM has not named this environment’s infrastructure yet: nothing to read.' };
  if (wanted.some((c) => c.tosca === undefined))
    return {
      credentials: [],
      unavailable:
        'This environment was deployed by an earlier version of the app, which did not record where IM keeps its credentials: update it once to read them.',
    };
  const unreadable = new AfpError(
    'unavailable',
    `IM's TOSCA document of infrastructure ${id} has no container nodes as the app wrote them.`,
  );
  let document: unknown;
  try {
    document = parse(await client.tosca(id));
  } catch (error) {
    // The YAML parser's message quotes the document's lines, which hold the secrets: say only that it failed.
    if (error instanceof AfpError) throw error;
    throw unreadable;
  }
  const parsed = storedTosca.safeParse(document);
  if (!parsed.success) throw unreadable;
  const tosca = parsed.data;
  return {
    credentials: wanted.map((c): CredentialView => {
      const at = c.tosca as NonNullable<CredentialRef['tosca']>;
      const username = c.username === undefined ? undefined : typeof c.username === 'string' ? c.username : valueAt(tosca, at.username, id);
      return {
        id: c.id,
        title: c.title,
        component: c.component,
        ...(username === undefined ? {} : { username }),
        secret: valueAt(tosca, at.secret, id),
      };
    }),
  };
}

function valueAt(tosca: StoredTosca, at: ToscaLocator | undefined, id: string): string {
  if (at === undefined) throw new AfpError('unavailable', `The record of infrastructure ${id} does not say where IM keeps a user name.`);
  const node = tosca.topology_template.node_templates[at.node];
  if ('variable' in at) {
    const value = node?.properties?.environment?.[at.variable];
    if (typeof value === 'string') return value;
    throw new AfpError('unavailable', `IM's TOSCA document of infrastructure ${id} has no variable ${at.variable} in node ${at.node}.`);
  }
  const content = Object.values(node?.artifacts ?? {}).find((artifact) => artifact.deploy_path === at.file)?.properties?.content;
  // A secret file is written base64 (IM then makes a Secret that Kubernetes decodes): see im-values.ts.
  if (typeof content === 'string') return Buffer.from(content, 'base64').toString('utf8');
  throw new AfpError('unavailable', `IM's TOSCA document of infrastructure ${id} has no file ${at.file} in node ${at.node}.`);
}
