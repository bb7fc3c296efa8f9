import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';

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
    expect(c.webhook).toMatchObject({ publicKeyPem: undefined, hs256Secret: undefined, maxBytes: 1024 * 1024 });
    expect(c.delivery.maxAttempts).toBe(5);
    expect(c.topicPrefix).toBe('wix.');
    expect(c.wix.rateLimitPerMinute).toBe(200);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', KAFKA_BROKERS: '' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      kafka: undefined,
    });
  });

  it('reports every bad variable together, naming each', () => {
    try {
      loadConfig({ PORT: 'http', MAX_ATTEMPTS: '0', WEBHOOK_MAX_BYTES: '-1', AGENT_MODE: 'yolo' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'MAX_ATTEMPTS', 'WEBHOOK_MAX_BYTES', 'AGENT_MODE'])
        expect(text).toContain(name);
    }
  });

  it('refuses a WIX_PUBLIC_KEY that is not a public key, without echoing it', () => {
    expect(() => loadConfig({ WIX_PUBLIC_KEY: 'not-a-key!' })).toThrow(/WIX_PUBLIC_KEY/);
    try {
      loadConfig({ WIX_PUBLIC_KEY: 'c2VjcmV0LXN0dWZm' });
    } catch (error) {
      expect((error as Error).message).not.toContain('c2VjcmV0LXN0dWZm');
    }
  });

  it('parses Kafka settings when KAFKA_BROKERS is set', () => {
    const c = loadConfig({
      KAFKA_BROKERS: 'a:9092, b:9092',
      KAFKA_TOPIC_PREFIX: 'shop.',
      KAFKA_IDEMPOTENT: 'false',
    });
    expect(c.kafka).toMatchObject({ brokers: ['a:9092', 'b:9092'], topicPrefix: 'shop.', idempotent: false });
  });

  it('names the missing variable for an LLM provider that needs one', () => {
    expect(() => loadConfig({ LLM_PROVIDER: 'openai', LLM_MODEL: 'gpt-x' })).toThrow(/OPENAI_API_KEY/);
    expect(() => loadConfig({ LLM_PROVIDER: 'openai-compatible' })).toThrow(/LLM_BASE_URL/);
  });
});
