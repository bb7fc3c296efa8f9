import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear. The webhook body (a JWT), keys, secrets, tokens and
 * customer contact details never reach the log; code also avoids logging them in the first place.
 */
export const redactPaths = [
  'token',
  'jwt',
  'body',
  'rawBody',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'secret',
  'appSecret',
  'hs256Secret',
  'apiKey',
  'accessToken',
  'access_token',
  'client_secret',
  'password',
  'publicKey',
  'privateKey',
  'email',
  'phone',
  '*.token',
  '*.jwt',
  '*.secret',
  '*.appSecret',
  '*.hs256Secret',
  '*.apiKey',
  '*.accessToken',
  '*.access_token',
  '*.client_secret',
  '*.password',
  '*.email',
  '*.phone',
];

export function createLogger(options: {
  level: string;
  destination?: DestinationStream;
  base?: object;
}): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'wix-event-agent', ...options.base },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
