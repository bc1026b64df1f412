/**
 * The site profile (`kind: SiteProfile`): the one file a site admin writes to
 * preconfigure the app for a whole site. Every object is strict, so a typo in
 * a field name is an error rather than a setting silently ignored.
 */
import { z } from 'zod';
import { capacitySchema } from '../capacity/snapshot-profile';
import { isSecureTokenUrl, TOKEN_URL_RULE } from './token-url';

export const PROFILE_API_VERSION = 'afp.dev/v1';
export const PROFILE_KIND = 'SiteProfile';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** Every URL the user's token is sent to: https, except loopback (a local test bed or demo). */
const secureUrl = httpUrl.refine(isSecureTokenUrl, { error: TOKEN_URL_RULE });

export const templateNameSchema = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a template name: lowercase letters, digits and dashes');

export const parameterNameSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be a parameter name: a letter, then letters, digits or _');

export const parameterValueSchema = z
  .union([z.string(), z.number(), z.boolean()])
  .describe('A parameter value: number, boolean, or string (quantities such as 4Gi are strings)');

const rangeBound = z.union([z.number(), z.string().min(1)]).describe('A number, or a quantity such as 2, 500m, 8Gi');

const siteSchema = z.strictObject({
  name: z.string().min(1).describe('Site name shown in the app'),
  logo: z
    .string()
    .min(1)
    .optional()
    .describe('Logo shown beside the site name: a path relative to the profile file, or a data:image/… URL'),
  supportUrl: httpUrl.optional().describe('Where users get help'),
});

const authSchema = z.strictObject({
  issuer: secureUrl.describe('OIDC issuer URL (INDIGO IAM, EGI Check-in, Keycloak…)'),
  clientId: z.string().min(1).describe('Public client registered for the desktop app'),
  scopes: z
    .array(z.string().min(1))
    .min(1)
    .default(['openid', 'profile', 'email', 'offline_access'])
    .describe('Scopes to request; offline_access gives refresh tokens where the provider allows'),
  requiredGroups: z
    .array(z.string().min(1))
    .default([])
    .describe('Groups or AARC entitlements (urn:mace:…) a user needs; any one of them suffices'),
  groupsClaim: z.string().min(1).optional().describe('Claim holding the groups (default: groups)'),
  caFile: z
    .string()
    .min(1)
    .optional()
    .describe(
      "PEM file of the CA that signed the provider's certificate (a site's own CA), relative to the profile file; trusted beside the system's",
    ),
});

const imSchema = z.strictObject({
  url: secureUrl.describe('Infrastructure Manager REST endpoint, e.g. https://im.example.org:8800'),
  authMode: z
    .enum(['token', 'bearer'])
    .default('token')
    .describe("token: IM's own authorization header with the user's OIDC token; bearer: a plain Bearer header (IM with Vault)"),
  kubernetesLine: z
    .strictObject({
      host: secureUrl.describe('Kubernetes API server the IM connector deploys to'),
      tokenFrom: z.enum(['user', 'none']).describe("user: pass the user's access token; none: IM has its own credentials"),
    })
    .optional()
    .describe('Adds a Kubernetes line to the IM authorization header (token mode only)'),
});

// IM reads a credential id as [a-zA-Z_.][\w\d_.-]* (IM/auth.py).
const imCredentialId = z
  .string()
  .regex(/^[a-zA-Z_.][\w.-]*$/, 'must be an IM credential id: a letter, _ or ., then letters, digits, _, . or -');

const dispatcherSchema = z.strictObject({
  url: secureUrl.describe("The dispatcher's POST endpoint, e.g. https://dispatcher.example.org/api/v1/deployments"),
  imUrl: secureUrl
    .optional()
    .describe("IM's REST endpoint as the dispatcher reaches it, sent as im_url (…/infrastructures is added); default: targets.im.url"),
  provider: z
    .strictObject({
      name: imCredentialId.default('k8s').describe("The credential id of the cluster's line in IM's header"),
      type: z.string().min(1).default('Kubernetes').describe("IM's connector type"),
      endpoint: secureUrl.optional().describe("The cluster's API server; default: targets.im.kubernetesLine.host"),
    })
    .default({ name: 'k8s', type: 'Kubernetes' })
    .describe('The cloud the dispatcher names to IM (provider_name, provider_type, provider_endpoint)'),
  iaasToken: z
    .enum(['user'])
    .default('user')
    .describe("What goes as iaas_access_token: user = the user's own access token (the cluster trusts the same identity provider)"),
  statusVia: z
    .enum(['im', 'proxy', 'none'])
    .optional()
    .describe(
      "How status, outputs, logs and delete are reached: im = IM's REST API directly (targets.im.url, else imUrl); proxy = the dispatcher's own /infrastructures paths; none = not offered. Default: im when targets.im is given, else none",
    ),
});

const targetsSchema = z
  .strictObject({
    dispatcher: dispatcherSchema.optional().describe('INFN dispatcher (infn-datacloud/im-connector) in front of IM'),
    im: imSchema.optional(),
    kube: z
      .strictObject({
        contexts: z.array(z.string().min(1)).min(1).describe('Kubeconfig contexts users may deploy to: names or globs (* and ?)'),
        kubeconfig: z.string().min(1).optional().describe('Kubeconfig file, relative to the profile file'),
      })
      .optional(),
  })
  .superRefine((targets, ctx) => {
    const dispatcher = targets.dispatcher;
    if (dispatcher === undefined) return;
    if (dispatcher.imUrl === undefined && targets.im === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['dispatcher', 'imUrl'],
        message: "the dispatcher needs IM's URL: set dispatcher.imUrl or im.url",
      });
    }
    if (dispatcher.provider.endpoint === undefined && targets.im?.kubernetesLine === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['dispatcher', 'provider', 'endpoint'],
        message: "the dispatcher needs the cluster's API server: set dispatcher.provider.endpoint or im.kubernetesLine.host",
      });
    }
    if (dispatcher.statusVia === 'im' && dispatcher.imUrl === undefined && targets.im === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['dispatcher', 'statusVia'],
        message: 'is im, but no IM URL is given (im.url or dispatcher.imUrl)',
      });
    }
  });

export type TargetsSection = z.output<typeof targetsSchema>;
export type ImTargetSection = z.output<typeof imSchema>;
export type DispatcherTargetSection = z.output<typeof dispatcherSchema>;

const presetSchema = z.strictObject({
  name: templateNameSchema.describe('Preset name, e.g. small'),
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  values: z.record(parameterNameSchema, parameterValueSchema),
});

const lockSchema = z.strictObject({
  value: parameterValueSchema,
  reason: z.string().trim().min(1, 'a locked setting needs the reason users will read').describe('Shown to users who try to change it'),
});

const rangeSchema = z
  .strictObject({ min: rangeBound.optional(), max: rangeBound.optional() })
  .refine((range) => range.min !== undefined || range.max !== undefined, { error: 'give min, max or both' });

const perTemplate = <T extends z.ZodType>(inner: T) => z.record(templateNameSchema, inner);

const templatesSchema = z.strictObject({
  folders: z
    .array(z.string().min(1))
    .default([])
    .describe('Folders of site templates, relative to the profile file; a template named like a built-in replaces it'),
  defaults: perTemplate(z.record(parameterNameSchema, parameterValueSchema))
    .default({})
    .describe('Per template: parameter → default value'),
  presets: perTemplate(z.array(presetSchema)).default({}).describe('Per template: site presets (replace those of the same name)'),
  locked: perTemplate(z.record(parameterNameSchema, lockSchema))
    .default({})
    .describe('Per template: parameter → { value, reason }; users cannot change it in the GUI or with --set'),
  ranges: perTemplate(z.record(parameterNameSchema, rangeSchema))
    .default({})
    .describe("Per template: parameter → { min, max }; may only narrow the template's own range"),
  hidden: z.array(templateNameSchema).optional().describe('Templates not offered to users'),
});

const linksSchema = z.strictObject({
  ingressDomain: z.hostname().optional().describe('Domain under which environments get Ingress hosts'),
  tls: z
    .strictObject({
      enabled: z.boolean(),
      secretName: templateNameSchema.optional().describe('TLS Secret (e.g. a wildcard certificate) in each namespace'),
    })
    .optional(),
});

// --- Environments on a shared cluster (issue 19): how each environment is isolated and how its hub signs users in.
const labelSelectorSchema = z.strictObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string().min(1),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

const isolationSchema = z.strictObject({
  ingressController: z
    .strictObject({
      namespaceSelector: labelSelectorSchema.describe("Selects the ingress controller's namespace"),
      podSelector: labelSelectorSchema.describe("Selects the ingress controller's pods in it"),
    })
    .optional()
    .describe(
      'The only pods outside an environment allowed to reach it (its ports published by Ingress). Default: ingress-nginx (namespace kubernetes.io/metadata.name=ingress-nginx, pods app.kubernetes.io/name=ingress-nginx)',
    ),
});

const hubLoginSchema = z.strictObject({
  issuer: secureUrl.optional().describe('The identity provider the hubs use; default: auth.issuer'),
  clientId: z
    .string()
    .min(1)
    .describe('Client registered at the identity provider for the hubs (redirect URI https://<hub host>/hub/oauth_callback)'),
  clientSecret: z
    .string()
    .min(1)
    .optional()
    .describe("The client's secret, if it is confidential; every user of this profile can read it, so register the client for hubs only"),
  authorizeUrl: secureUrl.optional().describe("Default: from the issuer's discovery document, fetched by the hub at start"),
  tokenUrl: secureUrl.optional().describe("Default: from the issuer's discovery document"),
  userdataUrl: secureUrl.optional().describe("Default: the discovery document's userinfo_endpoint"),
  usernameClaim: z.string().min(1).default('preferred_username').describe('Claim that names the user in the hub'),
  groupsClaim: z.string().min(1).optional().describe('Claim holding the groups; default: auth.groupsClaim, else groups'),
  scopes: z.array(z.string().min(1)).min(1).default(['openid', 'profile', 'email']),
  caCertificate: z
    .string()
    .regex(/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/, {
      error: 'expected a PEM certificate (-----BEGIN CERTIFICATE-----…)',
    })
    .optional()
    .describe(
      "PEM of the CA that signed the identity provider's certificate, when no public CA did; the hubs then trust it alone for the provider",
    ),
});
// --- end of issue 19's block

const profileObjectSchema = z.strictObject({
  apiVersion: z.literal(PROFILE_API_VERSION),
  kind: z.literal(PROFILE_KIND),
  site: siteSchema,
  auth: authSchema.optional(),
  targets: targetsSchema.optional(),
  templates: templatesSchema.optional(),
  capacity: capacitySchema.optional(),
  links: linksSchema.optional(),
  isolation: isolationSchema.optional(),
  hubLogin: hubLoginSchema
    .optional()
    .describe(
      "How environments' JupyterHubs sign users in with the site's identity provider; without it only the owner signs in, with a generated password",
    ),
});

export const siteProfileSchema = profileObjectSchema
  .superRefine(checkConsistency)
  .superRefine((profile, ctx) => {
    if (profile.hubLogin !== undefined && profile.hubLogin.issuer === undefined && profile.auth === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['hubLogin', 'issuer'],
        message: 'the hubs need an identity provider: set hubLogin.issuer or auth.issuer',
      });
    }
  })
  .describe('AF Provisioner site profile');

export type SiteProfileInput = z.input<typeof siteProfileSchema>;
export type SiteProfile = z.output<typeof siteProfileSchema>;
export type ParameterValue = z.output<typeof parameterValueSchema>;
export type TemplatesSection = z.output<typeof templatesSchema>;
export type HubLoginSection = z.output<typeof hubLoginSchema>;
export type IsolationSection = z.output<typeof isolationSchema>;

/** Cross-field rules that need no template: a lock must agree with the defaults and presets beside it. */
function checkConsistency(profile: z.output<typeof profileObjectSchema>, ctx: z.RefinementCtx): void {
  if (profile.site.logo?.startsWith('data:') === true && !/^data:image\/[a-z0-9.+-]+[;,]/i.test(profile.site.logo)) {
    ctx.addIssue({ code: 'custom', path: ['site', 'logo'], message: 'a data: URL logo must be an image (data:image/…)' });
  }
  const templates = profile.templates;
  if (templates === undefined) return;
  for (const [template, locks] of Object.entries(templates.locked)) {
    for (const [param, lock] of Object.entries(locks)) {
      const fallback = templates.defaults[template]?.[param];
      if (fallback !== undefined && fallback !== lock.value) {
        ctx.addIssue({
          code: 'custom',
          path: ['templates', 'defaults', template, param],
          message: `is ${JSON.stringify(fallback)} but the parameter is locked to ${JSON.stringify(lock.value)}`,
        });
      }
      (templates.presets[template] ?? []).forEach((preset, index) => {
        const value = preset.values[param];
        if (value !== undefined && value !== lock.value) {
          ctx.addIssue({
            code: 'custom',
            path: ['templates', 'presets', template, index, 'values', param],
            message: `is ${JSON.stringify(value)} but the parameter is locked to ${JSON.stringify(lock.value)}`,
          });
        }
      });
    }
  }
  for (const [template, presets] of Object.entries(templates.presets)) {
    const seen = new Set<string>();
    presets.forEach((preset, index) => {
      if (seen.has(preset.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['templates', 'presets', template, index, 'name'],
          message: `preset "${preset.name}" appears twice`,
        });
      }
      seen.add(preset.name);
    });
  }
}
