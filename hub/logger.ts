import pino, { type Logger } from 'pino';

/** pino JSON logs; secrets never reach them (tokens and authorization headers are redacted). */
export function createLogger(level: string, name = 'vigil-hub'): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', '*.token', '*.password', '*.secret', 'token', 'password'], censor: '[redacted]' },
  });
}
