import type { AgentLimits } from '../domain/limits.js';

/**
 * What one run may still spend (tool calls, tokens), and the one failure that ends it early. The
 * loop reads it to decide when to stop; the tool calls draw from it. It replaces flags shared between
 * modules: every change goes through a method.
 */
export class RunBudget {
  private seq = 0;
  private tokens = 0;
  private exhausted = false;
  private fatal: { error: unknown } | undefined;
  private readonly stopper = new AbortController();

  constructor(readonly limits: AgentLimits) {}

  /** Aborted when the run must stop at once (see `fail`). */
  get signal(): AbortSignal {
    return this.stopper.signal;
  }

  /** Sequence number of the next audit row of this run (1, 2, ...). */
  nextSeq(): number {
    return ++this.seq;
  }

  /** Audit rows written so far (allowed and refused calls). */
  get calls(): number {
    return this.seq;
  }

  /** Takes one tool call from the budget; false (and the run stops after this step) when it is used up. */
  takeCall(): boolean {
    if (this.seq > this.limits.maxToolCalls) {
      this.exhausted = true;
      return false;
    }
    return true;
  }

  addTokens(n: number): void {
    this.tokens += n;
  }

  /** Ends the run with an error the model must not see (e.g. Wix unavailable past retries): it is rethrown by the loop. */
  fail(error: unknown): void {
    this.fatal ??= { error };
    this.stopper.abort(error);
  }

  /** The failure passed to `fail`, if any. */
  get failure(): { error: unknown } | undefined {
    return this.fatal;
  }

  /** True when the loop must not ask the model again. */
  spent(): boolean {
    return this.exhausted || this.tokens >= this.limits.maxTokens || this.seq >= this.limits.maxToolCalls;
  }

  /** True when the run ended because a limit was hit, not because the model was done. */
  limited(steps: number, lastFinishReason: string | undefined): boolean {
    return this.spent() || (steps >= this.limits.maxSteps && lastFinishReason === 'tool-calls');
  }

  describe(steps: number): string {
    const l = this.limits;
    return `run limit reached (steps ${steps}/${l.maxSteps}, tool calls ${this.seq}/${l.maxToolCalls}, tokens ${this.tokens}/${l.maxTokens})`;
  }

  get tokensUsed(): number {
    return this.tokens;
  }
}
