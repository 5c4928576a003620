/** JSON Schemas of the persistence sections, one per recorder (no driver imported here). */

const section = (type: string, required: string[], properties: Record<string, unknown>) => ({
  type: 'object',
  required: ['type', ...required],
  properties: { type: { const: type }, ...properties },
  additionalProperties: false,
});

/** When an append resolves: on disk (`synced`) or before its flush (`deferred`). */
const durability = { enum: ['synced', 'deferred'] };

export const memoryConfigSchema: Record<string, unknown> = section('memory', [], {});

export const lmdbConfigSchema: Record<string, unknown> = section('lmdb', ['path'], {
  path: { type: 'string', minLength: 1 },
  mapSizeBytes: { type: 'integer', minimum: 1048576 },
  durability,
});

export const postgresConfigSchema: Record<string, unknown> = section('postgres', ['url'], {
  url: { type: 'string', minLength: 1 },
  schema: { type: 'string', pattern: '^[a-z_][a-z0-9_]*$' },
  poolSize: { type: 'integer', minimum: 1 },
  createTables: { type: 'boolean' },
  durability,
});
