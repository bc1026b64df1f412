/**
 * The credentials an environment's owner needs (the hub's owner login without
 * site sign-in, MinIO's keys), as templates declare them: read from the
 * target at the moment of asking, never cached by the main process, never
 * stored. `unavailable` says plainly why a target cannot give them.
 */
import { z } from 'zod';

export const credentialViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  component: z.string(),
  username: z.string().optional(),
  secret: z.string(),
});

export const credentialsViewSchema = z.object({
  credentials: z.array(credentialViewSchema),
  /** Why none can be read here (e.g. IM keeps them in the infrastructure), in plain words. */
  unavailable: z.string().optional(),
});

export type CredentialView = z.infer<typeof credentialViewSchema>;
export type CredentialsView = z.infer<typeof credentialsViewSchema>;
