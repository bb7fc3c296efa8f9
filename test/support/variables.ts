import { builtInHandlers } from '../../src/builtin/index.js';
import { envSchema } from '../../src/config/schema.js';
import { settingVariables } from '../../src/handlers/load.js';

/** Variables the built-in handlers declare as their own settings (`VIP_LIFETIME_SPEND`, `ORDER_TRIAGE_EVENT`, …). */
export const builtInSettingVariables = builtInHandlers.flatMap((h) => Object.values(settingVariables(h)));

/**
 * Every variable the service reads, sorted: its configuration's (the schema) and the built-in handlers'
 * own settings, which `.env.example` and the Compose file list next to them.
 */
export const knownVariables = [...Object.keys(envSchema.shape), ...builtInSettingVariables].sort();
