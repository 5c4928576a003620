/** The PostgreSQL the benchmarks use: the tests' variable, with the same default. */
export const pgUrl = (): string =>
  process.env['EVENTUM_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
