/**
 * The template format (apiVersion afp.dev/v1, kind Template): metadata,
 * parameters, presets, generated secrets, components, links, the owner's
 * credentials and raw
 * Kubernetes objects that only the kube target can create.
 */
import { z } from 'zod';
import { dnsLabel, integer, PARAMETER_NAME, renderedDyn, sourceDyn, type Dyn } from './common';
import { componentSchema, sourceComponentSchema } from './components';
import { parameterSchema, presetSchema } from './parameters';
import { translationsSchema } from '../../contract/translations';

export const TEMPLATE_API_VERSION = 'afp.dev/v1';

const metadataSchema = z.strictObject({
  name: dnsLabel('template name', 40),
  title: z.string().min(1),
  description: z.string().optional(),
  version: z.string().regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, { error: 'a version looks like 1.2.3' }),
  icon: z.string().optional().describe('A built-in icon name (jupyterhub, dask, minio, analysis-facility, generic) or an inline <svg>'),
  tags: z.array(z.string()).optional(),
});

function sections<C extends z.ZodType>(dyn: Dyn, component: C) {
  const secretKey = z.union([
    z.strictObject({
      generate: z.enum(['alphanumeric', 'hex', 'lowercase']).describe('Alphabet of the random value, made once per environment and kept'),
      length: integer().min(16, { error: 'a generated secret needs at least 16 characters' }).max(256).optional().describe('Default 32'),
    }),
    z
      .strictObject({
        certificate: dnsLabel('certificate name', 40).describe(
          '"ca": the authority of this secret; any other name: a certificate and its key, signed by that authority',
        ),
      })
      .describe(
        "An X.509 certificate made once per environment (PEM): the authority signs the secret's other certificates, then its key is dropped",
      ),
    z
      .strictObject({ value: dyn(z.string()) })
      .describe(
        'A value the site gives (e.g. { $eval: hubLogin.clientSecret }), kept in the Secret rather than a file; re-read at every render',
      ),
  ]);
  const secret = z.strictObject({
    title: z.string().optional(),
    keys: z.record(z.string().regex(/^[-._a-zA-Z0-9]+$/), secretKey),
  });
  const link = dyn(
    z.strictObject({
      id: dnsLabel('link id').optional().describe('Defaults to <component>-<port>'),
      title: z.string().min(1),
      description: z.string().optional(),
      component: dnsLabel('component name'),
      port: z.string().describe('Port name of the component'),
      path: z.string().optional(),
    }),
  );
  const keyRef = z.strictObject({ name: dnsLabel('secret name', 40), key: z.string().regex(/^[-._a-zA-Z0-9]+$/) });
  const credential = dyn(
    z.strictObject({
      title: z.string().min(1).describe('What it is, as the owner reads it (e.g. "JupyterHub sign-in for the owner")'),
      component: dnsLabel('component name').describe('The component it signs in to'),
      username: dyn(z.union([z.string().min(1), z.strictObject({ secret: keyRef })]))
        .optional()
        .describe('The user name: a literal (e.g. { $eval: owner }) or a key of a secret'),
      secret: keyRef.describe('The key of a secret (secrets section) holding the password or secret key'),
    }),
  );
  const extraObjects = dyn(
    z.strictObject({
      purpose: z
        .string()
        .min(1)
        .describe('Why these objects exist, in words a reviewer understands (shown when a target cannot create them)'),
      objects: z.array(z.record(z.string(), z.unknown())).min(1).describe('Kubernetes objects; the namespace and labels are set for you'),
    }),
  );
  const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);
  const userKeys = z.strictObject({
    secret: dnsLabel('secret name', 40).describe('The generated secret holding one key per user'),
    title: z.string().min(1).describe('What the keys are, e.g. "MinIO keys"; each user\'s credential is titled after it'),
    length: integer().min(16, { error: 'a generated secret needs at least 16 characters' }).max(256).optional().describe('Default 32'),
    variables: z.array(variableName).min(1).describe("Environment variables that receive the user's own key"),
    nameVariables: z
      .array(variableName)
      .optional()
      .describe("Environment variables that receive the name the key belongs to: the user's server name, <name>-<user>"),
    filesFor: z
      .strictObject({ component: dnsLabel('component name', 54), dir: z.string().regex(/^\/.*[^/]$/) })
      .optional()
      .describe("A component (e.g. one that creates the users) that gets every user's key as the file <dir>/<server name>"),
  });
  const userServers = dyn(
    z.strictObject({
      name: dnsLabel('component name prefix', 30).describe("Each user's server is the component <name>-<user>"),
      title: z.string().min(1).describe('What a user opens, e.g. "JupyterLab"; the link and the token are titled after it'),
      users: dyn(z.array(z.string().min(1)).min(1)).describe(
        'The users, one server each (e.g. { $eval: "namedUsers(owner, values.hubUsers)" })',
      ),
      port: z.string().describe('Port name of the component that the link opens'),
      path: z.string().optional().describe('Path the link opens, e.g. /lab'),
      tokenVariable: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
        .describe("Environment variable that receives the user's own generated token (e.g. JUPYTER_TOKEN)"),
      userKeys: z
        .array(userKeys)
        .optional()
        .describe("Other keys generated per user (e.g. storage keys): each user's server gets only its own"),
      component,
    }),
  );
  return {
    secrets: z.record(dnsLabel('secret name', 40), dyn(secret)).optional(),
    userServers: userServers
      .optional()
      .describe(
        'One server per named user instead of a hub (e.g. through IM, which cannot run KubeSpawner), each with its own token and link',
      ),
    components: z.record(dnsLabel('component name', 54), component),
    links: dyn(z.array(link)).optional(),
    credentials: dyn(z.array(credential))
      .optional()
      .describe("Secret keys the environment's owner needs to sign in, revealed on demand by the app and `afp credentials`"),
    extraObjects: dyn(z.array(extraObjects)).optional(),
  };
}

const sourceSections = sections(sourceDyn, sourceComponentSchema);

/** The whole file as written (values may be expressions). */
export const templateSourceSchema = z
  .strictObject({
    apiVersion: z.literal(TEMPLATE_API_VERSION),
    kind: z.literal('Template'),
    metadata: metadataSchema,
    parameters: z
      .record(
        z.string().regex(PARAMETER_NAME, { error: 'a parameter name starts with a letter and uses letters, digits and _' }),
        parameterSchema,
      )
      .optional(),
    presets: z.array(presetSchema).optional(),
    translations: translationsSchema.optional(),
    im: z
      .strictObject({
        summary: z
          .string()
          .min(1)
          .describe('One plain paragraph, shown at Review for an IM or dispatcher target: how this shape differs from the Kubernetes one'),
      })
      .optional(),
    quota: z
      .strictObject({
        margin: integer()
          .min(0)
          .max(500)
          .describe('Percent added to what the plan requests (default 10): room for a pod that terminates while its replacement starts'),
      })
      .optional()
      .describe("The environment's ResourceQuota is what the plan requests, plus a surge pod per rolling update, plus this margin"),
    ...sourceSections,
  })
  .meta({ title: 'AF Provisioner template', description: 'See templates/README.md' });

/** The parts evaluated with json-e, after evaluation. */
export const renderedSectionsSchema = z.strictObject(sections(renderedDyn, componentSchema));

export type TemplateSource = z.output<typeof templateSourceSchema>;
export type TemplateMetadata = z.output<typeof metadataSchema>;
export type RenderedSections = z.output<typeof renderedSectionsSchema>;
export type RenderedLink = NonNullable<RenderedSections['links']>[number];
export type RenderedCredential = NonNullable<RenderedSections['credentials']>[number];
export type ExtraObjectGroup = NonNullable<RenderedSections['extraObjects']>[number];
export type UserServers = NonNullable<RenderedSections['userServers']>;
export type SecretSpec = NonNullable<RenderedSections['secrets']>[string];

/** Sections whose values json-e computes. */
export const RENDERED_SECTIONS = ['secrets', 'userServers', 'components', 'links', 'credentials', 'extraObjects'] as const;
