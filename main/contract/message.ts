import { z } from 'zod';
import type { Message, MessageParams } from '../messages/message';

/**
 * What the core says to a person (main/messages): an id the renderer looks up
 * in its catalogues (`core.<id>`), parameters, and the English text for a
 * renderer without the id. A parameter may be a message of its own.
 */
export const messageParamsSchema: z.ZodType<MessageParams> = z.lazy(() =>
  z.record(z.string().max(100), z.union([z.string(), z.number(), messageSchema])),
);

/** A message id; the renderer falls back to the English text for one its catalogues lack. */
export const messageIdSchema = z.custom<Message['id']>((value) => typeof value === 'string' && value.length <= 200);

export const messageSchema: z.ZodType<Message> = z.lazy(() =>
  z.object({
    id: messageIdSchema,
    params: messageParamsSchema.optional(),
    text: z.string(),
  }),
);
