export { startServer, type RunningServer } from './app.js';
export { loadConfig, pageBytesOf, type Config, type ConfigInput, ConfigError } from './config.js';
