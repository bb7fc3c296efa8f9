import type { Config } from './schema.js';

/**
 * Every secret value in the configuration (keys, tokens, passwords, including the passwords inside
 * DATABASE_URL and REDIS_URL, raw and percent-decoded), for the logger to scrub wherever they appear.
 */
export function secretValues(config: Config): string[] {
  const urlPasswords = [config.databaseUrl, config.redisUrl].flatMap((url) => {
    if (!url) return [];
    try {
      const password = new URL(url).password;
      return password ? [password, decodeURIComponent(password)] : [];
    } catch {
      return [];
    }
  });
  const values = [
    config.webhook.hs256Secret,
    config.wix.appSecret,
    config.wix.apiKey,
    config.llm.apiKey,
    config.kafka?.sasl?.password,
    config.adminToken,
    ...urlPasswords,
  ];
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
}
