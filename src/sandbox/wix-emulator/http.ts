import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { EmulatorData, EmulatorSite } from './data.js';

/** An answer in Wix's error envelope. */
export class WixHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: { message: string; details: Record<string, unknown> },
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message || `HTTP ${status}`);
  }
}

/** `{message, details:{applicationError:{code, description, data}}}`: a business rejection. */
export function applicationError(
  status: number,
  code: string,
  description: string,
  data?: unknown,
): WixHttpError {
  return new WixHttpError(status, {
    message: description,
    details: { applicationError: { code, description, ...(data === undefined ? {} : { data }) } },
  });
}

export interface FieldViolation {
  field: string;
  description: string;
  violatedRule: string;
  ruleName?: string;
}

/** `{message, details:{validationError:{fieldViolations}}}`: HTTP 400. */
export function validationError(fieldViolations: FieldViolation[], message?: string): WixHttpError {
  return new WixHttpError(400, {
    message: message ?? fieldViolations.map((v) => `${v.field}: ${v.description}`).join('; '),
    details: { validationError: { fieldViolations } },
  });
}

/** 5xx bodies are empty envelopes. */
export function serverError(status: number): WixHttpError {
  return new WixHttpError(status, { message: '', details: {} });
}

function ruleOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'REQUIRED_FIELD';
  if (issue.code === 'too_big')
    return issue.origin === 'string' ? 'MAX_LENGTH' : issue.origin === 'array' ? 'MAX_SIZE' : 'MAX';
  if (issue.code === 'too_small')
    return issue.origin === 'string' ? 'MIN_LENGTH' : issue.origin === 'array' ? 'MIN_SIZE' : 'MIN';
  if (issue.code === 'invalid_format') return 'FORMAT';
  return 'OTHER';
}

/** Parses a request body; a mismatch becomes Wix's 400 with one field violation per issue. */
export function parseRequest<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw validationError(
    parsed.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(body)',
      description: issue.message,
      violatedRule: ruleOf(issue),
    })),
  );
}

/** The site the caller is authenticated for (set by the auth middleware). */
export function siteOf(res: Response): EmulatorSite {
  return res.locals.site as EmulatorSite;
}

/** What route handlers receive besides req/res. */
export interface RouteContext {
  data: EmulatorData;
  now: () => number;
  isoNow: () => string;
}

export type Handler = (req: Request, res: Response) => void | Promise<void>;
