import type { Request, Response } from 'express';
import { html, type Html } from './html.js';

/**
 * Answers a console action (a page's `actions` route): to the page's script (header `x-console-fetch`),
 * JSON with a message and the updated fragment; to a plain form post, a redirect to `fallback` (it works
 * without JavaScript), or a page saying why when it was refused.
 */
export function answer(
  req: Request,
  res: Response,
  status: number,
  message: string,
  fragment: Html | undefined,
  fallback: string,
): void {
  if (req.get('x-console-fetch')) {
    res.status(status).json({ message, ...(fragment ? { html: fragment.value } : {}) });
  } else if (status >= 400) {
    res
      .status(status)
      .type('html')
      .send(
        html`<!doctype html><title>Refused</title>
          <p>${message}</p>
          <p><a href="${fallback}">Back</a></p>`.value,
      );
  } else {
    res.redirect(303, fallback);
  }
}
