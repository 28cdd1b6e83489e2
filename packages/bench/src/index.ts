export * from './args.js';
export * from './stats.js';
export * from './report.js';
export * from './run.js';
export type { W1Results } from './workloads/w1.js';
export type { W2Results } from './workloads/w2.js';
