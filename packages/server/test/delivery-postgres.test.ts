import { runDeliverySuite } from './delivery-suite.js';
import { testPostgres } from './support/postgres.js';

const postgres = await testPostgres();
runDeliverySuite(
  'delivery contract on PostgreSQL',
  async () => ({ databaseUrl: await postgres.createDatabase() }),
  postgres.skip,
);
