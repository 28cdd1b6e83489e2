import { runPageBytesSuite } from './page-bytes-suite.js';

runPageBytesSuite('byte-bounded pages on SQLite', () => Promise.resolve({}));
