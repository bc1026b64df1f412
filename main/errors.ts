/**
 * Errors are values with a code, a plain-words message and, where known, the
 * field, file and line they concern. They cross every boundary (bridge, CLI)
 * as data; only `toApiError` turns an unexpected exception into `internal`.
 */
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
  message: string;
  field?: string;
  file?: string;
  line?: number;
}

export class AfpError extends Error implements ApiErrorShape {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly file?: string;
  readonly line?: number;

  constructor(code: ErrorCode, message: string, where: { field?: string; file?: string; line?: number; cause?: unknown } = {}) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
    this.name = 'AfpError';
    this.code = code;
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
    const shape: ApiErrorShape = { code: error.code, message: error.message };
    if (error.field !== undefined) shape.field = error.field;
    if (error.file !== undefined) shape.file = error.file;
    if (error.line !== undefined) shape.line = error.line;
    return shape;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}

/** "file:line: field: message", the one way every surface prints an error. */
export function formatError(error: ApiErrorShape): string {
  const where = error.file === undefined ? '' : `${error.file}${error.line === undefined ? '' : `:${error.line}`}: `;
  const field = error.field === undefined ? '' : `${error.field}: `;
  return `${where}${field}${error.message}`;
}
