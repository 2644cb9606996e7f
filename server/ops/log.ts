// Structured JSON logs. Secrets never reach them: known secret fields are censored wherever
// they appear, and nothing logs a payload or a password in the first place.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'telehealth-hub' },
    redact: {
      paths: [
        'password',
        'secret',
        '*.password',
        '*.secret',
        '*.secret_hash',
        'config.MQTT_PASSWORD',
        'config.DATABASE_URL',
      ],
      censor: '[redacted]',
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
