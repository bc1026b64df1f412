import { z } from 'zod';

export const contextSummarySchema = z.object({
  name: z.string(),
  cluster: z.string(),
  server: z.string(),
  user: z.string(),
  namespace: z.string().optional(),
  auth: z.enum(['client-certificate', 'token', 'exec', 'afp-session', 'auth-provider', 'basic', 'none']),
  execCommand: z.string().optional(),
  insecureSkipTlsVerify: z.boolean(),
});

export const kubeContextsSchema = z.object({
  files: z.array(z.string()),
  currentContext: z.string(),
  contexts: z.array(contextSummarySchema),
  warnings: z.array(z.string()),
});

export type ContextSummaryView = z.infer<typeof contextSummarySchema>;
export type KubeContextsView = z.infer<typeof kubeContextsSchema>;
