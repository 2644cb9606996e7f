// A process's first step (`npm start`, `npm run demo`): the configuration, or one line naming
// the bad variable and exit code 2, never a stack trace.
import { ConfigError, loadConfig, type Config } from '../config.js';

export function configOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`configuration error: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
}
