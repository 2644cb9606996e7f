// Structured JSON logs. Secrets never reach them: known secret fields are censored wherever
// they appear, and nothing logs a payload or a password in the first place.
// A failure is logged with the error itself under `err` (`log.warn({ err }, '...')`), never its
// message alone: pino's standard serializer keeps its type, message, stack and causes. What a
// database error carries of the rows (PGlite's query parameters, PostgreSQL's "Failing row
// contains ...") is censored: readings and secret hashes travel there.
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** A logger writing JSON lines to stdout, or to `destination` (tests read it back). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
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
        'err.params',
        'err.queryOptions',
        'err.detail',
      ],
      censor: '[redacted]',
    },
    serializers: { err: pino.stdSerializers.err },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
