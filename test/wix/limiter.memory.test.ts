import { MemoryRateLimiter } from '../../src/wix/limiter/memory.js';
import { limiterContract } from './limiter.contract.js';

limiterContract('memory', (options) => new MemoryRateLimiter(options), { penaltyGranularityMs: 0 });
