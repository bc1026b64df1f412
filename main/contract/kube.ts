import { z } from 'zod';
import { apiErrorSchema } from './errors';

export const contextSummarySchema = z.object({
  name: z.string(),
  cluster: z.string(),
  server: z.string(),
  user: z.string(),
  namespace: z.string().optional(),
  auth: z.enum(['client-certificate', 'token', 'exec', 'afp-session', 'auth-provider', 'basic', 'none']),
  execCommand: z.string().optional(),
  insecureSkipTlsVerify: z.boolean(),
  /** The site profile's `targets.kube.contexts` lets users deploy here (true without a list). */
  allowed: z.boolean(),
});

/** Where the kubeconfig in use comes from: the request, the file chosen in the app, the site profile, KUBECONFIG, ~/.kube/config. */
export const KUBECONFIG_ORIGINS = ['named', 'chosen', 'profile', 'env', 'default'] as const;

export const kubeContextsSchema = z.object({
  /** ready: contexts read; missing: no file where one was looked for; broken: a file that cannot be used (problem says why). */
  state: z.enum(['ready', 'missing', 'broken']),
  origin: z.enum(KUBECONFIG_ORIGINS),
  /** The files looked at (several when KUBECONFIG lists several). */
  files: z.array(z.string()),
  /** The kubeconfig the user chose in the app and still uses, if any. */
  chosen: z.string().optional(),
  currentContext: z.string(),
  contexts: z.array(contextSummarySchema),
  /** The context to offer first: the file's current one when the site allows it, else the first allowed; absent when none is. */
  preselected: z.string().optional(),
  warnings: z.array(z.string()),
  problem: apiErrorSchema.optional(),
});

export type ContextSummaryView = z.infer<typeof contextSummarySchema>;
export type KubeContextsView = z.infer<typeof kubeContextsSchema>;
