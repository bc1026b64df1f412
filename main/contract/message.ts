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

export const messageSchema: z.ZodType<Message> = z.lazy(() =>
  z.object({
    id: z.custom<Message['id']>((value) => typeof value === 'string' && value.length <= 200),
    params: messageParamsSchema.optional(),
    text: z.string(),
  }),
);
