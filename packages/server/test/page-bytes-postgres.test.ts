import { runPageBytesSuite } from './page-bytes-suite.js';
import { testPostgres } from './support/postgres.js';

const postgres = await testPostgres();
runPageBytesSuite(
  'byte-bounded pages on PostgreSQL',
  async () => ({ databaseUrl: await postgres.createDatabase() }),
  postgres.skip,
);
