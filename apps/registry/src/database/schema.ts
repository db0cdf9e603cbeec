import type { QueryRunner } from 'typeorm';

/** The schema the data source was configured with; migrations create their tables there. */
export function schemaOf(q: QueryRunner): string {
  const options = q.connection.options as { schema?: string };
  return options.schema ?? 'public';
}
