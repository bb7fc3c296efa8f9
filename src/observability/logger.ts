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

/**
 * Replaces every occurrence of a known secret value in `line` (and its JSON-escaped form) with
 * `[redacted]`. Values shorter than 6 characters are ignored (they would blank ordinary words).
 */
export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) {
    if (secret.length < 6) continue;
    if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join('[redacted]');
  }
  return out;
}

/**
 * The service's pino logger. Two defences keep secrets out: `redactPaths` blanks known fields, and
 * `secrets` (the configured secret values, see `secretValues`) are scrubbed from every line written,
 * wherever they appear — e.g. a provider's 401 message echoing the API key.
 */
export function createLogger(options: {
  level: string;
  destination?: DestinationStream;
  base?: object;
  /** Secret values never to write, whatever field carries them. */
  secrets?: readonly string[];
}): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 6);
  return pino(
    {
      level: options.level,
      base: { service: 'wix-event-agent', ...options.base },
      redact: { paths: redactPaths, censor: '[redacted]' },
      ...(secrets.length > 0
        ? { hooks: { streamWrite: (line: string) => scrubSecrets(line, secrets) } }
        : {}),
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
