/** Writes templates/template.schema.json from the zod schema. */
import { writeFile } from 'node:fs/promises';
import { templateJsonSchemaFile, templateJsonSchemaText } from './json-schema';

await writeFile(templateJsonSchemaFile(), templateJsonSchemaText());
console.log(`wrote ${templateJsonSchemaFile()}`);
