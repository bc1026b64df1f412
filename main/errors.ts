/**
 * Errors are values with a code, a plain-words message and, where known, the
 * field, file and line they concern. They cross every boundary (bridge, CLI)
 * as data; only `toApiError` turns an unexpected exception into `internal`.
 * An error the core words for a person also carries its message id and
 * parameters, so the renderer says it in the user's language (main/messages).
 */
import type { Message, MessageParams } from './messages/message';

export const ERROR_CODES = [
  'invalid_input',
  'invalid_template',
  'invalid_profile',
  'invalid_kubeconfig',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'unavailable',
  'timeout',
  'cancelled',
  'locked',
  'unsupported',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorShape {
  code: ErrorCode;
  /** In English (CLI, logs); with `id`, the renderer says it from its catalogue instead. */
  message: string;
  id?: string | undefined;
  params?: MessageParams | undefined;
  field?: string | undefined;
  file?: string | undefined;
  line?: number | undefined;
}

export class AfpError extends Error implements ApiErrorShape {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly file?: string;
  readonly line?: number;
  readonly said?: Message;

  constructor(
    code: ErrorCode,
    message: string | Message,
    where: { field?: string | undefined; file?: string | undefined; line?: number | undefined; cause?: unknown } = {},
  ) {
    super(typeof message === 'string' ? message : message.text, where.cause === undefined ? undefined : { cause: where.cause });
    this.name = 'AfpError';
    this.code = code;
    if (typeof message !== 'string') this.said = message;
    if (where.field !== undefined) this.field = where.field;
    if (where.file !== undefined) this.file = where.file;
    if (where.line !== undefined) this.line = where.line;
  }

  toJSON(): ApiErrorShape {
    return toApiError(this);
  }
}

export function isAfpError(value: unknown): value is AfpError {
  return value instanceof AfpError;
}

/** Maps anything thrown to the wire shape; unknown exceptions become `internal` without their stack. */
export function toApiError(error: unknown): ApiErrorShape {
  if (error instanceof AfpError) {
    const shape: ApiErrorShape = {
      code: error.code,
      ...(error.said === undefined ? { message: error.message } : messageFields(error.said)),
    };
    if (error.field !== undefined) shape.field = error.field;
    if (error.file !== undefined) shape.file = error.file;
    if (error.line !== undefined) shape.line = error.line;
    return shape;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}

/** A message as an error's fields: its English text, its id and parameters. */
export function messageFields(said: Message): Pick<ApiErrorShape, 'message' | 'id' | 'params'> {
  return said.params === undefined ? { message: said.text, id: said.id } : { message: said.text, id: said.id, params: said.params };
}

/** An error as a parameter of another message: its message when the core worded it, else its English text. */
export function errorParam(error: ApiErrorShape): Message | string {
  if (error.id === undefined) return error.message;
  return { id: error.id as Message['id'], params: error.params, text: error.message };
}

/** "file:line: field: message", the one way every surface prints an error. */
export function formatError(error: ApiErrorShape): string {
  const where = error.file === undefined ? '' : `${error.file}${error.line === undefined ? '' : `:${error.line}`}: `;
  const field = error.field === undefined ? '' : `${error.field}: `;
  return `${where}${field}${error.message}`;
}
