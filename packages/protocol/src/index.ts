export * from './version.js';
export * from './errors.js';
export * from './limits.js';
export * from './frames.js';
export * from './codec.js';
export * from './text.js';
export * from './attachments.js';
export * from './compat.js';
