import { AppError } from '../errors.js';

/** One entry of Wix's `details.validationError.fieldViolations`. */
export interface WixFieldViolation {
  field: string;
  description?: string;
  violatedRule?: string;
  ruleName?: string;
}

/**
 * Codes we set ourselves when Wix gave none (Wix's own `applicationError.code` wins when present).
 * - `VALIDATION_ERROR`: 400 with `validationError.fieldViolations` (see `fieldViolations`).
 * - `DEADLINE`: waiting for the limiter or a 429 would pass the call's deadline; retry the whole run later.
 * - `NETWORK_ERROR`, `TIMEOUT`: no HTTP answer.
 * - `INVALID_RESPONSE`: a 2xx body without the fields we rely on.
 * - `WRITE_OUTCOME_UNKNOWN`: a write that may have been applied (see `WixOutcomeUnknownError`).
 */
export type WixErrorCode =
  | 'VALIDATION_ERROR'
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FAILED_PRECONDITION'
  | 'RATE_LIMITED'
  | 'SERVER_ERROR'
  | 'NETWORK_ERROR'
  | 'TIMEOUT'
  | 'DEADLINE'
  | 'INVALID_RESPONSE'
  | 'TOKEN_REQUEST_FAILED'
  | 'WRITE_OUTCOME_UNKNOWN'
  | (string & {});

export interface WixApiErrorOptions {
  /** HTTP status; 0 when there was no answer (network, timeout, deadline). */
  status: number;
  code: WixErrorCode;
  retryable: boolean;
  retryAfterMs?: number;
  /** `x-wix-request-id` of the answer, for Wix support and our audit log. */
  requestId?: string;
  fieldViolations?: WixFieldViolation[];
  /** `details.applicationError.data`, e.g. `{duplicateContactId}`. */
  data?: unknown;
  method?: string;
  path?: string;
  cause?: unknown;
}

/** Every failure of a Wix call, classified once: status, code, retry policy and request id. */
export class WixApiError extends AppError {
  readonly status: number;
  readonly requestId: string | undefined;
  readonly fieldViolations: WixFieldViolation[];
  readonly data: unknown;
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(message: string, options: WixApiErrorOptions) {
    super(message, options);
    this.status = options.status;
    this.requestId = options.requestId;
    this.fieldViolations = options.fieldViolations ?? [];
    this.data = options.data;
    this.method = options.method;
    this.path = options.path;
  }
}

/**
 * A write that may have reached Wix but whose outcome we did not learn: a 5xx, a timeout, a reset
 * connection or an abort after the request was sent. Wix documents no idempotency header, so sending it
 * again could apply it twice: the policy is never to resend it automatically (`retryable: false`) but to
 * settle it, by looking it up in Wix or parking it for a person (see `src/calls/send.ts`).
 * `status` is the 5xx seen (0 when there was no answer); `requestId` is Wix's, when an answer came.
 */
export class WixOutcomeUnknownError extends WixApiError {
  readonly outcome = 'unknown' as const;
  /** Epoch ms the request was sent. */
  readonly sentAt: number;

  constructor(message: string, options: Omit<WixApiErrorOptions, 'code' | 'retryable'> & { sentAt: number }) {
    super(message, { ...options, code: 'WRITE_OUTCOME_UNKNOWN', retryable: false });
    this.sentAt = options.sentAt;
  }
}

/** True for a write whose outcome is unknown (see `WixOutcomeUnknownError`). */
export function isOutcomeUnknown(error: unknown): error is WixOutcomeUnknownError {
  return error instanceof WixOutcomeUnknownError;
}

/** Statuses after which the same request may succeed later. */
export function isRetryableStatus(status: number): boolean {
  return (
    status === 429 || status === 500 || status === 502 || status === 503 || status === 504 || status === 408
  );
}

function codeForStatus(status: number): WixErrorCode {
  if (status === 400) return 'BAD_REQUEST';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 428) return 'FAILED_PRECONDITION';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408) return 'TIMEOUT';
  if (status >= 500) return 'SERVER_ERROR';
  return `HTTP_${status}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readViolations(value: unknown): WixFieldViolation[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((v) => ({
    field: typeof v.field === 'string' ? v.field : '',
    ...(typeof v.description === 'string' ? { description: v.description } : {}),
    ...(typeof v.violatedRule === 'string' ? { violatedRule: v.violatedRule } : {}),
    ...(typeof v.ruleName === 'string' ? { ruleName: v.ruleName } : {}),
  }));
}

/**
 * Reads Wix's error envelope `{message, details: {applicationError | validationError}}` into a
 * WixApiError. Bodies that are not the envelope (5xx bodies are `{"message":"","details":{}}`,
 * proxies send HTML) still give a useful error from the status alone.
 */
export function errorFromResponse(input: {
  status: number;
  body: unknown;
  requestId?: string;
  method?: string;
  path?: string;
  retryAfterMs?: number;
}): WixApiError {
  const { status, body } = input;
  const details = isRecord(body) && isRecord(body.details) ? body.details : {};
  const appError = isRecord(details.applicationError) ? details.applicationError : undefined;
  const validation = isRecord(details.validationError) ? details.validationError : undefined;
  const fieldViolations = readViolations(validation?.fieldViolations);

  let code: WixErrorCode = codeForStatus(status);
  if (appError && typeof appError.code === 'string' && appError.code) code = appError.code;
  else if (fieldViolations.length > 0) code = 'VALIDATION_ERROR';

  const bodyMessage = isRecord(body) && typeof body.message === 'string' ? body.message : '';
  const description = appError && typeof appError.description === 'string' ? appError.description : '';
  let message = bodyMessage || description || `Wix API answered ${status}`;
  if (fieldViolations.length > 0) {
    const fields = fieldViolations.map((v) => `${v.field}${v.description ? `: ${v.description}` : ''}`);
    message = `${message} (${fields.join('; ')})`;
  }
  const where = input.method && input.path ? ` [${input.method} ${input.path}]` : '';
  return new WixApiError(`${message}${where}`, {
    status,
    code,
    retryable: isRetryableStatus(status),
    retryAfterMs: input.retryAfterMs,
    requestId: input.requestId,
    fieldViolations,
    data: appError?.data,
    method: input.method,
    path: input.path,
  });
}
