import { z } from 'zod';
import { apiErrorSchema } from './errors';
import { templateCardSchema } from './catalogue';
import { messageIdSchema, messageParamsSchema, messageSchema } from './message';

export const PARAMETER_KINDS = ['integer', 'number', 'string', 'boolean', 'enum', 'cpu', 'memory', 'storage'] as const;
import { TARGETS, type TargetKind } from './targets';
export { TARGETS, type TargetKind };
/** What export writes: Kubernetes manifests, or TOSCA for IM. */
export const EXPORT_FORMATS = ['kube', 'tosca'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const valueSchema = z.union([z.string().max(4096), z.number(), z.boolean()]);
export const valuesSchema = z.record(z.string().max(100), valueSchema);

export const parameterViewSchema = z.object({
  name: z.string(),
  type: z.enum(PARAMETER_KINDS),
  title: z.string(),
  help: z.string().optional(),
  group: z.string().optional(),
  unit: z.string().optional(),
  default: valueSchema,
  min: z.union([z.number(), z.string()]).optional(),
  max: z.union([z.number(), z.string()]).optional(),
  step: z.number().optional(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  locked: z.object({ value: valueSchema, reason: z.string() }).optional(),
});

export const presetViewSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string().optional(),
  values: valuesSchema,
});

export const templateDetailSchema = z.object({
  card: templateCardSchema,
  parameters: z.array(parameterViewSchema),
  presets: z.array(presetViewSchema),
});

export const planRequestSchema = z
  .object({
    template: z.string().min(1).max(100),
    values: valuesSchema,
    name: z.string().max(63).optional(),
    target: z.enum(TARGETS).default('kube'),
  })
  .strict();

export const capabilityItemSchema = z.object({
  object: z.string(),
  severity: z.enum(['mapped', 'refused']),
  /** In English; `id` and `params` say it in the user's language. */
  reason: z.string(),
  id: messageIdSchema,
  params: messageParamsSchema.optional(),
});

export const planObjectViewSchema = z.object({ kind: z.string(), name: z.string(), wave: z.number().int() });

export const planPreviewSchema = z.discriminatedUnion('valid', [
  z.object({ valid: z.literal(false), problems: z.array(apiErrorSchema) }),
  z.object({
    valid: z.literal(true),
    environment: z.object({ name: z.string(), namespace: z.string() }),
    components: z.array(
      z.object({
        name: z.string(),
        replicas: z.number().int(),
        image: z.string().optional(),
        requests: z.record(z.string(), z.string()),
        limits: z.record(z.string(), z.string()),
        objects: z.array(planObjectViewSchema),
      }),
    ),
    /** Objects not owned by one component (namespace, secrets, RBAC, the ApplySet parent). */
    shared: z.array(planObjectViewSchema),
    waves: z.number().int(),
    kubeYaml: z.string(),
    tosca: z.object({ yaml: z.string().optional(), ok: z.boolean(), items: z.array(capabilityItemSchema) }),
    /** The capability check for the request's target: kube takes everything; IM and the dispatcher refuse what IM's connector cannot express. */
    capability: z.object({
      target: z.enum(TARGETS),
      ok: z.boolean(),
      items: z.array(capabilityItemSchema),
      /** IM and the dispatcher: generated secrets ("secret/key") IM would keep in its database (its connector takes only literal values); none for kube. */
      secretsKeptByIm: z.array(z.string()),
      /** IM and the dispatcher: the template's paragraph on how its IM shape differs from the Kubernetes one. */
      shape: z.string().optional(),
    }),
    links: z.array(z.object({ title: z.string(), component: z.string(), expose: z.string() })),
    /** Every ServiceAccount, Role and RoleBinding, with the rights in words. */
    rbac: z.array(z.object({ kind: z.string(), name: z.string(), grants: z.array(messageSchema) })),
  }),
]);

export const exportRequestSchema = planRequestSchema.extend({
  format: z.enum(EXPORT_FORMATS),
  directory: z.string().min(1).max(4096),
});

export type ParameterView = z.infer<typeof parameterViewSchema>;
export type PresetView = z.infer<typeof presetViewSchema>;
export type TemplateDetail = z.infer<typeof templateDetailSchema>;
export type PlanPreview = z.infer<typeof planPreviewSchema>;
export type PlanRequest = z.infer<typeof planRequestSchema>;
