export { startServer, type RunningServer, type ServerAdapters } from './app.js';
export { loadConfig, type Config, type ConfigInput, ConfigError } from './config.js';
