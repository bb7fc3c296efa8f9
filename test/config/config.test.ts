import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkHandlerNames } from '../../src/config/handler-names.js';
import { ConfigError, loadConfig, withDotEnv } from '../../src/config/load.js';
import { envSchema, secretVariables } from '../../src/config/schema.js';
import { resolveSecretFiles } from '../../src/config/sources.js';
import { builtInHandlers } from '../../src/builtin/index.js';
import { prepareHandlers } from '../../src/handlers/load.js';
import { MemoryRateLimiter } from '../../src/wix/limiter/memory.js';
import { builtInSettingVariables, knownVariables } from '../support/variables.js';

const root = join(import.meta.dirname, '../..');
const example = readFileSync(join(root, '.env.example'), 'utf8');

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  return [];
}

describe('loadConfig', () => {
  it('starts on embedded defaults with nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      dataDir: './data',
      databaseUrl: undefined,
      kafka: undefined,
      redisUrl: undefined,
    });
    expect(c.webhook).toMatchObject({
      publicKeyPem: undefined,
      hs256Secret: undefined,
      maxBytes: 1024 * 1024,
    });
    expect(c.delivery.maxAttempts).toBe(5);
    expect(c.topicPrefix).toBe('wix.');
    expect(c.wix.rateLimitPerMinute).toBe(200);
  });

  it('loads .env.example verbatim, as `cp .env.example .env` or Compose env_file would', () => {
    const c = loadConfig(parseEnv(example));
    expect(c).toEqual(loadConfig({}));
    // The built-in handlers' own settings listed there are their defaults too.
    const bound = (env: Record<string, string | undefined>) => {
      const entries = builtInHandlers.map((handler) => ({ handler, source: 'built-in' }));
      const { handlers, problems } = prepareHandlers(entries, { env, agentMode: 'live', handlerModes: {} });
      expect(problems).toEqual([]);
      return handlers.map((h) => ({ name: h.name, on: h.on, settings: h.settings }));
    };
    expect(bound(parseEnv(example))).toEqual(bound({}));
  });

  it('treats an empty or blank value as unset for every variable', () => {
    const names = Object.keys(envSchema.shape);
    for (const blank of ['', '   ']) {
      const env = Object.fromEntries(names.map((n) => [n, blank]));
      expect(loadConfig(env)).toEqual(loadConfig({}));
    }
  });

  it('reports every bad variable together, naming each', () => {
    const text = problemsOf({
      PORT: 'http',
      MAX_ATTEMPTS: '0',
      WEBHOOK_MAX_BYTES: '-1',
      AGENT_MODE: 'yolo',
    }).join('\n');
    for (const name of ['PORT', 'MAX_ATTEMPTS', 'WEBHOOK_MAX_BYTES', 'AGENT_MODE'])
      expect(text).toContain(name);
  });

  it('bounds match what the constructors accept', () => {
    // The limiter throws RangeError below 2; the config must refuse it first, naming the variable.
    expect(() => new MemoryRateLimiter({ limit: 1 })).toThrow(RangeError);
    expect(problemsOf({ WIX_RATE_LIMIT_PER_MINUTE: '1' })[0]).toMatch(
      /^WIX_RATE_LIMIT_PER_MINUTE: .*at least 2/,
    );
    expect(
      () =>
        new MemoryRateLimiter({
          limit: loadConfig({ WIX_RATE_LIMIT_PER_MINUTE: '2' }).wix.rateLimitPerMinute,
        }),
    ).not.toThrow();
    // Brokers refuse session timeouts below group.min.session.timeout.ms (default 6000).
    expect(problemsOf({ KAFKA_SESSION_TIMEOUT_MS: '3500' })[0]).toMatch(/^KAFKA_SESSION_TIMEOUT_MS/);
    expect(problemsOf({ RETRY_BASE_MS: '5000', RETRY_MAX_MS: '10' })[0]).toMatch(/^RETRY_MAX_MS/);
    expect(problemsOf({ PORT: '3000.5' })[0]).toMatch(/^PORT/);
    expect(problemsOf({ KAFKA_TOPIC_PREFIX: 'a b' })[0]).toMatch(/^KAFKA_TOPIC_PREFIX/);
    expect(problemsOf({ KAFKA_BROKERS: 'kafka://a:9092' })[0]).toMatch(/^KAFKA_BROKERS: .*host:port/);
  });

  it('accepts enums in any case and names the choices otherwise', () => {
    expect(loadConfig({ AGENT_MODE: 'Dry-Run', LOG_LEVEL: 'DEBUG' })).toMatchObject({
      agentMode: 'dry-run',
      logLevel: 'debug',
    });
    expect(problemsOf({ LOG_LEVEL: 'verbose' })[0]).toMatch(/^LOG_LEVEL: expected one of fatal \| error/);
  });

  it('refuses malformed URLs without echoing them (they may hold a password)', () => {
    const [db] = problemsOf({ DATABASE_URL: 'mysql://u:hunter2@db/x' });
    expect(db).toMatch(/^DATABASE_URL: not a postgres/);
    expect(db).not.toContain('hunter2');
    expect(problemsOf({ REDIS_URL: 'localhost:6379' })[0]).toMatch(/^REDIS_URL: not a redis/);
    expect(problemsOf({ WIX_API_BASE_URL: 'ftp://x' })[0]).toMatch(/^WIX_API_BASE_URL/);
  });

  it('refuses a WIX_PUBLIC_KEY that is not a public key, without echoing it', () => {
    expect(() => loadConfig({ WIX_PUBLIC_KEY: 'not-a-key!' })).toThrow(/WIX_PUBLIC_KEY/);
    expect(problemsOf({ WIX_PUBLIC_KEY: 'c2VjcmV0LXN0dWZm' }).join()).not.toContain('c2VjcmV0LXN0dWZm');
  });

  it('parses Kafka settings when KAFKA_BROKERS is set', () => {
    const c = loadConfig({
      KAFKA_BROKERS: 'a:9092, b:9092',
      KAFKA_TOPIC_PREFIX: 'shop.',
      KAFKA_IDEMPOTENT: 'false',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    });
    expect(c.kafka).toMatchObject({
      brokers: ['a:9092', 'b:9092'],
      topicPrefix: 'shop.',
      idempotent: false,
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    });
    expect(problemsOf({ KAFKA_SASL_MECHANISM: 'plain' })[0]).toMatch(/^KAFKA_SASL_USERNAME/);
  });

  it('names the missing variable for an LLM provider that needs one', () => {
    expect(() => loadConfig({ LLM_PROVIDER: 'openai', LLM_MODEL: 'gpt-x' })).toThrow(/OPENAI_API_KEY/);
    expect(() => loadConfig({ LLM_PROVIDER: 'openai-compatible' })).toThrow(/LLM_BASE_URL/);
    expect(
      loadConfig({
        LLM_PROVIDER: 'anthropic',
        LLM_MODEL: 'm',
        LLM_API_KEY: 'generic',
        ANTHROPIC_API_KEY: 'own',
      }).llm.apiKey,
    ).toBe('own');
  });

  it('parses AGENT_MODE_OVERRIDES and HANDLERS', () => {
    expect(
      loadConfig({ AGENT_MODE_OVERRIDES: 'order-triage=Approval, contact-intake=dry-run', HANDLERS: 'a, b' }),
    ).toMatchObject({
      handlerModes: { 'order-triage': 'approval', 'contact-intake': 'dry-run' },
      handlers: ['a', 'b'],
    });
    expect(problemsOf({ AGENT_MODE_OVERRIDES: 'order-triage=yolo' })[0]).toMatch(/^AGENT_MODE_OVERRIDES/);
  });
});

describe('handler names', () => {
  const builtIn = builtInHandlers.map((h) => h.name);

  it('accepts the real handlers', () => {
    expect(() =>
      checkHandlerNames(
        loadConfig({ AGENT_MODE_OVERRIDES: 'order-triage=approval', HANDLERS: 'contact-intake' }),
        builtIn,
      ),
    ).not.toThrow();
  });

  it('refuses a misspelt name in AGENT_MODE_OVERRIDES or HANDLERS, listing the known ones', () => {
    expect(() =>
      checkHandlerNames(loadConfig({ AGENT_MODE_OVERRIDES: 'order-traige=approval' }), builtIn),
    ).toThrow(
      /^AGENT_MODE_OVERRIDES: unknown handler\(s\) order-traige \(known: order-triage, contact-intake\)/,
    );
    expect(() => checkHandlerNames(loadConfig({ HANDLERS: 'order-triage,nope' }), builtIn)).toThrow(
      /^HANDLERS: .*nope/,
    );
  });
});

describe('secrets from *_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
  const file = join(dir, 'token');
  writeFileSync(file, 's3cret-token\n');

  it('reads the file (trimmed) into the variable', () => {
    expect(loadConfig({ ADMIN_TOKEN_FILE: file }).adminToken).toBe('s3cret-token');
  });

  it('names the _FILE variable when the file is missing, or when both are set', () => {
    expect(problemsOf({ ADMIN_TOKEN_FILE: join(dir, 'missing') })[0]).toMatch(
      /^ADMIN_TOKEN_FILE: cannot read .*ENOENT/,
    );
    expect(problemsOf({ ADMIN_TOKEN_FILE: file, ADMIN_TOKEN: 'x' })[0]).toMatch(
      /^ADMIN_TOKEN_FILE: ADMIN_TOKEN is set too/,
    );
  });

  it('covers every secret variable', () => {
    const env = Object.fromEntries(secretVariables.map((n) => [`${n}_FILE`, `/secrets/${n}`]));
    const { env: out, problems } = resolveSecretFiles(env, (path) => `value-of-${path}`);
    expect(problems).toEqual([]);
    for (const name of secretVariables) expect(out[name]).toBe(`value-of-/secrets/${name}`);
  });
});

describe('.env', () => {
  it('is read from the working directory, the real environment winning unless empty', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'dotenv-test-'));
    writeFileSync(join(cwd, '.env'), 'PORT=4000\nLOG_LEVEL=debug\nADMIN_TOKEN="from file"\n');
    const { env, dotenv } = withDotEnv({ PORT: '5000', LOG_LEVEL: '' }, { cwd });
    expect(dotenv).toMatchObject({ path: join(cwd, '.env'), applied: 2 });
    expect(loadConfig(env)).toMatchObject({ port: 5000, logLevel: 'debug', adminToken: 'from file' });
  });

  it('is optional', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'dotenv-test-'));
    expect(withDotEnv({ PORT: '1' }, { cwd })).toEqual({ env: { PORT: '1' }, dotenv: undefined });
  });
});

describe('.env.example', () => {
  it("lists every variable the schema knows and the built-in handlers' own settings, and nothing else", () => {
    const listed = Object.keys(parseEnv(example)).sort();
    expect(listed).toEqual(knownVariables);
    // The handlers' settings are theirs: the configuration names none of them.
    expect(builtInSettingVariables).toEqual(
      expect.arrayContaining(['VIP_LIFETIME_SPEND', 'ORDER_TRIAGE_EVENT', 'CONTACT_INTAKE_WELCOME_DRAFT']),
    );
    for (const name of builtInSettingVariables) expect(envSchema.shape).not.toHaveProperty(name);
  });
});
