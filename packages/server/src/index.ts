export { startServer, type RunningServer, type ServerAdapters } from './app.js';
export { loadConfig, pageBytesOf, type Config, type ConfigInput, ConfigError } from './config.js';
export { createInvites } from './invite-command.js';
