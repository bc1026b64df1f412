/**
 * The published JSON Schema of the template format (templates/template.schema.json),
 * generated from the zod schema so editors validate and complete what the
 * app enforces. Regenerate with: npx tsx main/catalogue/write-json-schema.ts
 */
import path from 'node:path';
import { z } from 'zod';
import { builtinTemplatesDir } from './builtin';
import { templateSourceSchema } from './schema/template';

export const TEMPLATE_JSON_SCHEMA_ID = 'https://afp.dev/schemas/template.schema.json';

export function templateJsonSchemaFile(): string {
  return path.join(builtinTemplatesDir(), 'template.schema.json');
}

export function templateJsonSchema(): Record<string, unknown> {
  // io 'input': what an author writes, so fields with defaults are optional.
  const generated = z.toJSONSchema(templateSourceSchema, { io: 'input', target: 'draft-2020-12' });
  return { ...generated, $id: TEMPLATE_JSON_SCHEMA_ID };
}

/** The file's exact text: two-space indent, final newline. */
export function templateJsonSchemaText(): string {
  return `${JSON.stringify(templateJsonSchema(), null, 2)}\n`;
}
