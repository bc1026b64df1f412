/** The dispatcher's settings, as the real one reads them from its environment (IM_HOST, TRUSTED_IDP_LIST, AUTHN_MODE=local). */
import { z } from 'zod';

export const dispatcherConfigSchema = z.object({
  port: z.number().int().positive(),
  /** IM's base URL, for the transparent /infrastructures proxy (the real one's IM_HOST). */
  imHost: z.string().url(),
  /** Issuers whose JWTs are accepted (TRUSTED_IDP_LIST). */
  trustedIssuers: z.array(z.string().url()).min(1),
  /** CA file to trust when fetching the issuers' discovery documents and keys. */
  caPath: z.string(),
});

export type DispatcherConfig = z.infer<typeof dispatcherConfigSchema>;

export const CONFIG_VARIABLE = 'AFP_DISPATCHER_CONFIG';
