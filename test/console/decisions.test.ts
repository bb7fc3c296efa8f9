import { describe, expect, it } from 'vitest';
import { decider, waitingStatuses } from '../../src/console/decisions.js';

describe('console decisions', () => {
  it('offers approve/reject on pending writes and done/resend/reject on outcome-unknown ones', () => {
    expect(waitingStatuses.pending).toEqual(['approve', 'reject']);
    expect(waitingStatuses.unknown).toEqual(['done', 'resend', 'reject']);
  });

  it('finds only the decisions the approvals service offers, bound to it', async () => {
    const approvals = {
      calls: [] as string[],
      async approve(id: string, by: string) {
        this.calls.push(`${id} by ${by}`);
        return { id } as never;
      },
    };
    const approve = decider(approvals, 'approve');
    expect(approve).toBeTypeOf('function');
    await approve!('c1', 'console');
    expect(approvals.calls).toEqual(['c1 by console']);
    expect(decider(approvals, 'done')).toBeUndefined();
    expect(decider(approvals, 'constructor')).toBeUndefined();
    expect(decider(approvals, 'toString')).toBeUndefined();
    expect(decider(undefined, 'approve')).toBeUndefined();
  });
});
