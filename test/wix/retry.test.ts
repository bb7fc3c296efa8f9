import { describe, expect, it } from 'vitest';
import { WixApiError, errorFromResponse } from '../../src/wix/errors.js';
import { backoffDelayMs, serverRetryDelayMs } from '../../src/wix/retry.js';

const now = Date.parse('2025-01-01T00:00:00Z');

describe('serverRetryDelayMs', () => {
  it.each([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }, 7000],
    [{ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }, 0],
    [{ 'ratelimit-reset': '12' }, 12_000],
    [{ 'x-ratelimit-reset': String(now / 1000 + 20) }, 20_000],
    [{ ratelimit: 'limit=200, remaining=0, reset=9' }, 9000],
    [{}, undefined],
    [{ 'retry-after': 'soon' }, undefined],
  ])('%j -> %s', (headers, expected) => {
    expect(serverRetryDelayMs(new Headers(headers), now)).toBe(expected);
  });
});

describe('backoffDelayMs', () => {
  it('is full jitter over an exponential, capped', () => {
    expect(backoffDelayMs(1, 100, 1000, () => 1)).toBe(100);
    expect(backoffDelayMs(3, 100, 1000, () => 1)).toBe(400);
    expect(backoffDelayMs(10, 100, 1000, () => 1)).toBe(1000);
    expect(backoffDelayMs(3, 100, 1000, () => 0)).toBe(0);
  });
});

describe('errorFromResponse', () => {
  it('reads an application error', () => {
    const error = errorFromResponse({
      status: 409,
      body: {
        message: 'exists',
        details: {
          applicationError: {
            code: 'DUPLICATE_CONTACT_EXIST',
            description: 'd',
            data: { duplicateContactId: 'c1' },
          },
        },
      },
      requestId: 'r1',
    });
    expect(error).toBeInstanceOf(WixApiError);
    expect(error).toMatchObject({
      status: 409,
      code: 'DUPLICATE_CONTACT_EXIST',
      retryable: false,
      requestId: 'r1',
      data: { duplicateContactId: 'c1' },
    });
  });

  it('reads validation field violations', () => {
    const error = errorFromResponse({
      status: 400,
      body: {
        message: 'bad',
        details: {
          validationError: {
            fieldViolations: [
              { field: 'task.title', description: 'required', violatedRule: 'REQUIRED_FIELD' },
            ],
          },
        },
      },
    });
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', retryable: false });
    expect(error.fieldViolations).toEqual([
      { field: 'task.title', description: 'required', violatedRule: 'REQUIRED_FIELD' },
    ]);
    expect(error.message).toContain('task.title: required');
  });

  it('classifies empty 5xx, 429 and non-envelope bodies by status', () => {
    expect(errorFromResponse({ status: 503, body: { message: '', details: {} } })).toMatchObject({
      code: 'SERVER_ERROR',
      retryable: true,
    });
    expect(errorFromResponse({ status: 429, body: undefined, retryAfterMs: 5 })).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      retryAfterMs: 5,
    });
    expect(errorFromResponse({ status: 403, body: '<html>' })).toMatchObject({
      code: 'PERMISSION_DENIED',
      retryable: false,
    });
    expect(errorFromResponse({ status: 501, body: undefined })).toMatchObject({ retryable: false });
  });
});
