import { describe, expect, it } from 'vitest';
import { decideRead, decideWrite, type WriteFacts } from '../../src/calls/decide.js';
import { effectiveMode } from '../../src/domain/modes.js';
import { runStatus } from '../../src/agents/loop.js';

const facts = (extra: Partial<WriteFacts> = {}): WriteFacts => ({
  mode: 'live',
  withinBudget: true,
  maxToolCalls: 16,
  tool: 'create_task',
  used: 0,
  allowed: 1,
  ...extra,
});

describe('decideWrite', () => {
  it('executes, simulates or parks a new write by mode', () => {
    expect(decideWrite(facts())).toEqual({ kind: 'execute' });
    expect(decideWrite(facts({ mode: 'dry-run' }))).toEqual({ kind: 'simulate' });
    expect(decideWrite(facts({ mode: 'approval' }))).toEqual({ kind: 'park' });
  });

  it('refuses over budget, outside the guard, or over the per-event count', () => {
    expect(decideWrite(facts({ withinBudget: false }))).toMatchObject({ kind: 'refuse' });
    expect(decideWrite(facts({ guardReason: 'not for this handler' }))).toEqual({
      kind: 'refuse',
      reason: 'not for this handler',
    });
    expect(decideWrite(facts({ used: 1 }))).toMatchObject({ kind: 'refuse', reason: /already used 1/ });
  });

  it('never writes twice: replays a recorded write, waits on a live owner, settles a dead one', () => {
    for (const status of ['executed', 'simulated', 'pending', 'unknown', 'rejected'] as const) {
      expect(decideWrite(facts({ previous: { status, ownerAlive: false } }))).toEqual({ kind: 'replay' });
    }
    expect(decideWrite(facts({ previous: { status: 'started', ownerAlive: true } }))).toEqual({
      kind: 'wait',
    });
    expect(decideWrite(facts({ previous: { status: 'started', ownerAlive: false } }))).toEqual({
      kind: 'settle',
    });
    // A recorded write is replayed even in dry-run: the mode decides only new writes.
    expect(
      decideWrite(facts({ mode: 'dry-run', previous: { status: 'executed', ownerAlive: false } })),
    ).toEqual({ kind: 'replay' });
  });

  it('reads run unless the budget is spent', () => {
    expect(decideRead({ withinBudget: true, maxToolCalls: 4 })).toEqual({ kind: 'execute' });
    expect(decideRead({ withinBudget: false, maxToolCalls: 4 })).toMatchObject({ kind: 'refuse' });
  });
});

describe('effectiveMode: AGENT_MODE is a ceiling', () => {
  it('a handler can only be stricter', () => {
    expect(effectiveMode('dry-run', 'live')).toBe('dry-run');
    expect(effectiveMode('dry-run', 'approval', 'live')).toBe('dry-run');
    expect(effectiveMode('approval', 'live')).toBe('approval');
    expect(effectiveMode('approval', 'dry-run')).toBe('dry-run');
    expect(effectiveMode('live', undefined, 'approval')).toBe('approval');
    expect(effectiveMode('live')).toBe('live');
  });
});

describe('runStatus', () => {
  const none = {
    writesExecuted: 0,
    writesSimulated: 0,
    writesParked: 0,
    writesUnknown: 0,
    writesRefused: 0,
    writesFailed: 0,
  };
  it('tells a person what the writes came to', () => {
    expect(runStatus(false, none, 0)).toBe('succeeded');
    expect(runStatus(false, { ...none, writesExecuted: 1 }, 0)).toBe('succeeded');
    expect(runStatus(false, { ...none, writesExecuted: 1, writesRefused: 1 }, 0)).toBe(
      'succeeded_with_refusals',
    );
    expect(runStatus(false, none, 1)).toBe('succeeded_with_refusals');
    expect(runStatus(false, { ...none, writesRefused: 2 }, 0)).toBe('writes_failed');
    expect(runStatus(false, { ...none, writesFailed: 1 }, 0)).toBe('writes_failed');
    expect(runStatus(true, { ...none, writesExecuted: 1 }, 0)).toBe('limited');
    expect(runStatus(true, { ...none, writesUnknown: 1 }, 0)).toBe('needs_attention');
  });
});
