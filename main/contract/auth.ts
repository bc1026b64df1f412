/**
 * Sign-in as the renderer sees it: who is signed in, their groups and when
 * the access token expires; never a token. `authContract` and
 * `authEventSchemas` are spread into main/api.ts's `contract` and `eventSchema`.
 */
import { z } from 'zod';
import { apiErrorSchema } from './errors';

export const AUTH_STATES = ['signed-out', 'signing-in', 'signed-in', 'needs-login'] as const;
export const SIGN_IN_METHODS = ['browser', 'device'] as const;

export const authUserSchema = z.object({
  subject: z.string(),
  username: z.string(),
  name: z.string(),
  email: z.string().optional(),
  groups: z.array(z.string()),
});

export const authStatusSchema = z.object({
  state: z.enum(AUTH_STATES),
  /** The identity provider sign-in goes to; absent when none is configured. */
  provider: z.object({ issuer: z.string(), clientId: z.string() }).optional(),
  /** Present when signed in, and kept in needs-login to say who must sign in again. */
  user: authUserSchema.optional(),
  /** ISO time the current access token expires; it is renewed before then. */
  expiresAt: z.string().optional(),
  /** The sign-in under way; `url` is the page the system browser was asked to open. */
  operation: z.object({ id: z.string(), method: z.enum(SIGN_IN_METHODS), url: z.string().optional() }).optional(),
  /** Why the user must sign in again, or why the last sign-in failed. */
  error: apiErrorSchema.optional(),
  /** False when a sign-in is not kept across restarts; `notice` says why. */
  persistent: z.boolean(),
  notice: z.string().optional(),
  /** Groups the site requires (any one suffices) and whether the user has one. */
  requiredGroups: z.array(z.string()),
  allowed: z.boolean(),
});

export const deviceCodeSchema = z.object({
  operationId: z.string(),
  userCode: z.string(),
  verificationUri: z.string(),
  verificationUriComplete: z.string().optional(),
  /** ISO time the code stops working. */
  expiresAt: z.string(),
});

const empty = z.object({}).strict();

export const authContract = {
  'auth.status': { input: empty, output: authStatusSchema },
  /** Starts a sign-in and answers at once; progress and the result come as `auth.changed` (and `auth.device`) events. */
  'auth.signIn': {
    input: z.object({ method: z.enum(SIGN_IN_METHODS) }).strict(),
    output: z.object({ operationId: z.string() }),
  },
  /** Cancels the sign-in under way (the given one, or whichever it is). */
  'auth.cancel': {
    input: z.object({ operationId: z.string().min(1).max(200).optional() }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  /** Revokes the tokens where the provider allows it and forgets them. */
  'auth.signOut': {
    input: empty,
    output: z.object({ status: authStatusSchema, revoked: z.boolean(), notice: z.string().optional() }),
  },
} as const;

export const authChangedEventSchema = z.object({ type: z.literal('auth.changed'), status: authStatusSchema });
export const authDeviceEventSchema = deviceCodeSchema.extend({ type: z.literal('auth.device') });
export const authEventSchemas = [authChangedEventSchema, authDeviceEventSchema] as const;

export type AuthUser = z.infer<typeof authUserSchema>;
export type AuthStatusView = z.infer<typeof authStatusSchema>;
export type DeviceCodeView = z.infer<typeof deviceCodeSchema>;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];
export type AuthEvent = z.infer<typeof authChangedEventSchema> | z.infer<typeof authDeviceEventSchema>;
