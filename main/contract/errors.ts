import { z } from 'zod';
import { ERROR_CODES } from '../errors';

export const apiErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  field: z.string().optional(),
  file: z.string().optional(),
  line: z.number().int().optional(),
});

/** Every answer across a bridge: a value or an error, never a thrown exception. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof apiErrorSchema> };
