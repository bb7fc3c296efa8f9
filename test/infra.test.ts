import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownVariables } from './support/variables.js';

const root = join(import.meta.dirname, '..');

describe('infra/docker-compose.yml', () => {
  it("passes every variable the service knows (the built-in handlers' own settings too) to its containers", () => {
    const compose = readFileSync(join(root, 'infra/docker-compose.yml'), 'utf8');
    const block = compose.slice(
      compose.indexOf('environment: &service-env'),
      compose.indexOf('depends_on: &service-deps'),
    );
    const passed = [...block.matchAll(/^ {4}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]);
    expect(passed.sort()).toEqual(knownVariables);
  });
});
