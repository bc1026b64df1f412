/** Writes docs/site-profile.schema.json from the zod schema (run from the repository root). */
import { writeFile } from 'node:fs/promises';
import { PROFILE_JSON_SCHEMA_FILE, profileJsonSchemaText } from './profile-json-schema';

await writeFile(PROFILE_JSON_SCHEMA_FILE, profileJsonSchemaText());
console.log(`wrote ${PROFILE_JSON_SCHEMA_FILE}`);
