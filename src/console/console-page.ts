import type { Request, Router } from 'express';
import type { ConsoleDeps } from './deps.js';
import type { Html } from './html.js';

/** What a page shows: the live region, and what stays outside it while it refreshes. */
export interface PageView {
  /** The heading and the document title. Default: the page's label. */
  title?: string;
  /** The live region (refreshed in place when the page's fingerprint changes). */
  body: Html;
  /** Above the live region, kept while it refreshes (filters, a form being typed into). */
  before?: Html;
}

/**
 * A console page, whole: its place in the navigation, what it shows, what makes it refresh and the
 * forms it answers. Every page is listed once, in `pages/index.ts`; the router, the navigation and the
 * live updates all follow that list, so adding a page is adding its module and one line there.
 */
export interface ConsolePage {
  /** Under `/console`, e.g. `/events`: the navigation link and the page's route. */
  path: `/${string}`;
  /** Its name in the navigation, and its title. */
  label: string;
  /**
   * Why the page is off for this service (MCP tokens without an MCP server): it is then left out of the
   * navigation and answers 404 saying so. Undefined (or absent) where it is on.
   */
  off?(deps: ConsoleDeps): string | undefined;
  /** The page, for a GET of its path; `csrf` is the session's token for its action forms. */
  body(deps: ConsoleDeps, req: Request, csrf: string): Promise<PageView>;
  /**
   * What the page shows beyond the newest arrival, the newest runs and the approvals waiting, which
   * every page's fingerprint has (see `/console/changes`): the live region refreshes when one changes.
   */
  fingerprint?(deps: ConsoleDeps): Promise<readonly unknown[]>;
  /** One of the things the page lists, at `<path>/:id` (an arrival, a run). */
  item?: {
    /** Undefined when there is no such item: a 404 saying `missing`. */
    body(deps: ConsoleDeps, id: string, csrf: string): Promise<PageView | undefined>;
    missing: string;
    /** As the page's `fingerprint`, for the item `id` (any text after `<path>/`, unchecked). */
    fingerprint?(deps: ConsoleDeps, id: string): Promise<readonly unknown[]>;
  };
  /** A count shown next to the label in the navigation (approvals waiting). */
  badge?(deps: ConsoleDeps): Promise<number>;
  /** The routes its forms post to (under `/console`, behind the session, origin and CSRF checks). */
  actions?(deps: ConsoleDeps): Router;
}
