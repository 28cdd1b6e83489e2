import { runDeliverySuite } from './delivery-suite.js';

runDeliverySuite('delivery contract on SQLite', async () => ({}));
