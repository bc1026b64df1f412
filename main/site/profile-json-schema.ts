/**
 * The published JSON Schema of the site profile (docs/site-profile.schema.json),
 * generated from the zod schema so editors validate and complete the same rules
 * the app enforces. Regenerate with: npx tsx main/site/write-profile-json-schema.ts
 */
import { z } from 'zod';
import { siteProfileSchema } from './profile-schema';

export const PROFILE_JSON_SCHEMA_FILE = 'docs/site-profile.schema.json';
export const PROFILE_JSON_SCHEMA_ID = 'https://afp.dev/schemas/site-profile.schema.json';

export function profileJsonSchema(): Record<string, unknown> {
  // io 'input': what an admin writes, so fields with defaults are optional.
  const generated = z.toJSONSchema(siteProfileSchema, { io: 'input', target: 'draft-2020-12' });
  return { ...generated, $id: PROFILE_JSON_SCHEMA_ID, title: 'AF Provisioner site profile' };
}

/** The file's exact text: stable key order from the generator, two-space indent, final newline. */
export function profileJsonSchemaText(): string {
  return `${JSON.stringify(profileJsonSchema(), null, 2)}\n`;
}
