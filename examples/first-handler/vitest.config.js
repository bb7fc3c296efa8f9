import { defineConfig } from 'vitest/config';

// The harness starts a real service (embedded SQLite, HTTP servers): give it time on a slow machine.
export default defineConfig({ test: { include: ['*.test.js'], hookTimeout: 120_000, testTimeout: 60_000 } });
