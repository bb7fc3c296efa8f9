import { describe, expect, it } from 'vitest';
import { openAgents } from '../../src/app/agents.js';
import type { Audit } from '../../src/calls/audit.js';
import { loadConfig, type Config } from '../../src/config/load.js';
import { loadServiceHandlers } from '../../src/app/handlers.js';
import { createLogger } from '../../src/observability/logger.js';
import { createRegistry } from '../../src/observability/metrics.js';
import type { Store } from '../../src/store/port.js';

const store = {} as Store; // not queried while the agents are assembled
const audit = { countPending: async () => 0 } as unknown as Audit;
const deps = async (config: Config) => ({
  definitions: await loadServiceHandlers(config, { env: {} }),
  store,
  audit,
  registry: createRegistry({ defaultMetrics: false }),
  logger: createLogger({ level: 'silent' }),
});
const creds = { WIX_APP_ID: 'app', WIX_APP_SECRET: 'secret' };

describe('assembling the agents', () => {
  it('refuses to let the scripted sandbox model write to the real Wix API', async () => {
    const result = await openAgents(loadConfig({ ...creds }), await deps(loadConfig({ ...creds })));
    expect(result).toEqual({ missing: expect.stringContaining('LLM_PROVIDER is sandbox') });
  });

  it('lets the sandbox model dry-run against real Wix, and run live against the emulator', async () => {
    for (const env of [
      { ...creds, AGENT_MODE: 'dry-run' },
      { ...creds, WIX_API_BASE_URL: 'http://127.0.0.1:9' },
    ]) {
      const result = await openAgents(loadConfig(env), await deps(loadConfig(env)));
      expect('missing' in result).toBe(false);
      if (!('missing' in result)) {
        expect(result.model.sandbox).toBe(true);
        await result.close();
      }
    }
  });

  it('says which credentials are missing', async () => {
    const result = await openAgents(
      loadConfig({ AGENT_MODE: 'dry-run' }),
      await deps(loadConfig({ AGENT_MODE: 'dry-run' })),
    );
    expect(result).toEqual({ missing: expect.stringContaining('WIX_APP_ID') });
  });
});
