import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { hs256Key, signWebhook } from '../../src/webhooks/sign.js';
import { fixtures, handledFixtures, startEmulators } from '../support/agent-env.js';
import { rsKey, testKeys } from '../support/keys.js';
import { loadConfig } from '../../src/config/load.js';
import { secretValues } from '../../src/config/secrets.js';
import { StartupError } from '../../src/lib/startup-error.js';
import { createLogger } from '../../src/observability/logger.js';
import { onPath } from '../support/kafka-broker.js';
import { startKafkaSaslStub } from '../support/kafka-sasl-stub.js';
import { reachable } from '../support/servers.js';
import { logSink, startTestService } from '../support/service.js';
import { waitFor } from '../support/wait.js';

/** Every email address and phone number in the fixtures: customer data that must never be logged. */
function customerContacts(): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, key = ''): void => {
    if (typeof value === 'string') {
      if (/^(email|phone|e164Phone)$/.test(key)) found.add(value);
      if (value.startsWith('{')) {
        try {
          visit(JSON.parse(value));
        } catch {
          // not JSON
        }
      }
    } else if (Array.isArray(value)) value.forEach((v) => visit(v));
    else if (value && typeof value === 'object') Object.entries(value).forEach(([k, v]) => visit(v, k));
  };
  fixtures.forEach((f) => visit(f.webhook));
  return [...found];
}

describe('secrets and customer data never reach logs or metrics', () => {
  it('after the whole pipeline ran, at debug level, with refusals, approvals and errors', async () => {
    const emu = await startEmulators();
    const adminToken = 'admin-token-that-must-not-leak-0123456789';
    const t = await startTestService({
      ...emu.env,
      AGENT_MODE: 'approval',
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'debug',
    });
    const jwts: string[] = [];
    try {
      for (const f of fixtures) {
        const token = await signWebhook(f.webhook, rsKey);
        jwts.push(token);
        await fetch(t.webhookUrl, { method: 'POST', body: token });
      }
      const forged = await signWebhook(fixtures[0]!.webhook, hs256Key('not-the-secret'));
      jwts.push(forged);
      expect((await fetch(t.webhookUrl, { method: 'POST', body: forged })).status).toBe(401);
      emu.wix.expireTokens(); // forces a token refresh: new OAuth tokens flow through the client
      const published = handledFixtures.length;
      await t.runs.until((seen) => (seen.length >= published ? true : undefined), {
        timeoutMs: 30_000,
        what: `${published} runs`,
      });
      const auth = { authorization: `Bearer ${adminToken}` };
      const [first] = (await request(t.service.app).get('/api/approvals').set(auth)).body.approvals as {
        id: string;
      }[];
      expect(
        (await request(t.service.app).post(`/api/approvals/${first!.id}/approve`).set(auth)).status,
      ).toBe(200);
      expect(
        (await request(t.service.app).get('/api/runs').set('authorization', 'Bearer wrong')).status,
      ).toBe(401);
      const error = await request(t.service.app).get('/api/runs/%E0%A4%A');
      expect(error.text).not.toMatch(/at .*\.(ts|js):\d+/);

      const metrics = (await request(t.service.app).get('/metrics')).text;
      const output = `${t.logs.lines.join('\n')}\n${metrics}`;
      expect(t.logs.lines.length).toBeGreaterThan(50);
      const leaks: string[] = [];
      const check = (what: string, value: string) => {
        if (value.length >= 6 && output.includes(value)) leaks.push(`${what}: ${value.slice(0, 12)}…`);
      };
      for (const jwt of jwts) for (const part of jwt.split('.')) if (part.length > 16) check('jwt', part);
      check('app secret', emu.wix.appSecret);
      check('hs256 secret', testKeys.secret);
      check('admin token', adminToken);
      check('public key', testKeys.publicPem.split('\n')[2]!);
      for (const contact of customerContacts()) check('customer contact', contact);
      const oauth = output.match(/OAUTH2\.[\w-]{10,}/g) ?? [];
      expect(oauth, 'an OAuth access token').toEqual([]);
      expect(customerContacts().length).toBeGreaterThan(10);
      expect(leaks).toEqual([]);
    } finally {
      await t.service.stop();
      await emu.close();
    }
  }, 90_000);
});

/**
 * Failing dependencies: their libraries put credentials in error objects (ioredis: the AUTH arguments
 * in `command.args`; pg: nothing, but the URL holds the password), and providers echo keys in 401s.
 * Covered here: a wrong Redis password (a private redis-server with requirepass), a wrong Postgres
 * password (a stub speaking the Postgres protocol that asks for the password and refuses it: the
 * shared server trusts every login), a rejected Kafka SASL login (a stub speaking the Kafka protocol
 * whose refusal echoes the credentials: librdkafka's mock broker accepts any), and a model provider
 * answering 401 with the key in the message.
 */
describe('secrets never reach logs when a dependency fails', () => {
  const redisUp = onPath('redis-server');

  it.runIf(redisUp)(
    'a wrong Redis password: one described error, no password',
    async () => {
      const port = await freePort();
      const redis = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--requirepass',
          'right-redis-password-123',
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: 'ignore' },
      );
      try {
        await waitFor(() => reachable('127.0.0.1', port), { timeoutMs: 10_000, message: 'redis-server up' });
        const emu = await startEmulators();
        const sink = logSink();
        const password = 'wrong-redis-password-456';
        try {
          const error = await startTestService(
            { ...emu.env, REDIS_URL: `redis://:${password}@127.0.0.1:${port}`, LOG_LEVEL: 'debug' },
            { logger: createLogger({ level: 'debug', destination: sink.destination }) },
          ).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(StartupError);
          expect((error as Error).message).toMatch(/^REDIS_URL: Redis at 127\.0\.0\.1:\d+ refused the login/);
          const output = `${(error as Error).message}\n${sink.lines.join('\n')}`;
          expect(output).not.toContain(password);
          expect(sink.lines.filter((l) => l.includes('redis is unreachable'))).toHaveLength(1);
        } finally {
          await emu.close();
        }
      } finally {
        redis.kill();
      }
    },
    60_000,
  );

  it('a wrong Postgres password: one line naming DATABASE_URL, no password', async () => {
    const password = 'wrong-postgres-password-789';
    const received: string[] = [];
    const server = createServer((socket) => {
      let startup = true;
      socket.on('data', (data: Buffer) => {
        if (startup) {
          startup = false;
          // AuthenticationCleartextPassword: the client answers with the password itself.
          socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 3]));
          return;
        }
        received.push(data.toString('latin1'));
        const fields = Buffer.from(
          'SFATAL\0C28P01\0Mpassword authentication failed for user "app"\0\0',
          'latin1',
        );
        const header = Buffer.alloc(5);
        header.write('E', 0, 'latin1');
        header.writeInt32BE(fields.length + 4, 1);
        socket.end(Buffer.concat([header, fields]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const sink = logSink();
    try {
      const error = await startTestService(
        { DATABASE_URL: `postgres://app:${password}@127.0.0.1:${port}/app`, LOG_LEVEL: 'debug' },
        { logger: createLogger({ level: 'debug', destination: sink.destination }) },
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(received.join(''), 'the stub saw the password: the test can fail').toContain(password);
      expect(error).toBeInstanceOf(StartupError);
      expect((error as Error).message).toBe(
        `DATABASE_URL: Postgres at 127.0.0.1:${port}/app refused the password: fix the user and password in DATABASE_URL`,
      );
      expect(`${(error as Error).message}\n${sink.lines.join('\n')}`).not.toContain(password);
    } finally {
      server.close();
    }
  }, 60_000);

  it('a Kafka SASL login refused with the credentials echoed: one line naming the variable, no password', async () => {
    const password = 'wrong-kafka-password-321';
    const stub = await startKafkaSaslStub();
    const sink = logSink();
    try {
      const error = await startTestService(
        {
          KAFKA_BROKERS: `127.0.0.1:${stub.port}`,
          KAFKA_SASL_MECHANISM: 'plain',
          KAFKA_SASL_USERNAME: 'app',
          KAFKA_SASL_PASSWORD: password,
          LOG_LEVEL: 'debug',
        },
        { logger: createLogger({ level: 'debug', destination: sink.destination }) },
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(stub.received.join(''), 'the stub saw the password: the test can fail').toContain(password);
      expect(error).toBeInstanceOf(StartupError);
      expect((error as Error).message).toMatch(
        /^KAFKA_SASL_PASSWORD: the brokers at 127\.0\.0\.1:\d+ rejected the SASL login/,
      );
      expect(`${(error as Error).message}\n${sink.lines.join('\n')}`).not.toContain(password);
    } finally {
      await stub.close();
    }
  }, 60_000);

  it('a model provider answering 401 with the key in its message', async () => {
    const key = 'sk-echoed-key-0123456789abcdef';
    const provider = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: {
              message: `Incorrect API key provided: ${req.headers.authorization?.slice(7)}`,
              type: 'invalid_request_error',
              code: 'invalid_api_key',
            },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const { port } = provider.address() as { port: number };
    const emu = await startEmulators();
    const sink = logSink();
    const env = {
      ...emu.env,
      LLM_PROVIDER: 'openai-compatible',
      LLM_BASE_URL: `http://127.0.0.1:${port}/v1`,
      LLM_API_KEY: key,
      LLM_MODEL: 'm',
      MAX_ATTEMPTS: '2',
    };
    const config = loadConfig({ DATA_DIR: 'memory://', WIX_PUBLIC_KEY: testKeys.publicPem, ...env });
    const t = await startTestService(env, {
      logger: createLogger({ level: 'debug', destination: sink.destination, secrets: secretValues(config) }),
    });
    try {
      const f = fixtures.find(
        (x) => x.expect?.type === 'order_approved' && x.expect.outcome === 'published',
      )!;
      await fetch(t.webhookUrl, { method: 'POST', body: await signWebhook(f.webhook, rsKey) });
      await waitFor(async () => (await t.service.bus.listDeadLetters({ limit: 10 })).length > 0, {
        timeoutMs: 30_000,
        message: 'the event dead-lettered after the 401s',
      });
      const output = sink.lines.join('\n');
      expect(output).toContain('Incorrect API key provided');
      expect(output).not.toContain(key);
    } finally {
      await t.service.stop();
      await emu.close();
      provider.close();
    }
  }, 90_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
