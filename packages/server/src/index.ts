export { startServer, type RunningServer } from './app.js';
export { loadConfig, type Config, type ConfigInput, ConfigError } from './config.js';
export { createInvites } from './invite-command.js';
