import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { messageParamsSchema } from './message';

export const apiErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** A message id (main/messages) the renderer says in the user's language; `message` is its English. */
  id: z.string().max(200).optional(),
  params: messageParamsSchema.optional(),
  field: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().optional(),
});

/** Every answer across a bridge: a value or an error, never a thrown exception. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof apiErrorSchema> };
