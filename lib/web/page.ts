// What a page of the dashboard is, and how one is answered. A page is a module under lib/web/pages/
// exporting a `WebPage`: its `mount` adds its routes to the web function's app (GET for reading,
// POST for forms). lib/web/pages/index.ts lists them in mounting order, and nav.ts the header's
// links. To add a page: write lib/web/pages/<page>.ts, add it to PAGES, add its route(s) to the
// `web` function in serverless.yml, and (if it should be in the header) a NavItem.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { App, AppEnv } from '../http/index.js';
import type { Html } from './html.js';
import { layout } from './layout.js';

export interface WebPage {
  /** For logs and tests: `signals`, `topic`, … */
  name: string;
  /** Adds the page's routes to the web function's app. */
  mount: (app: App) => void;
}

export interface PageContent {
  /** The document title's first part (" · Signal Harvester" follows) and, unless `heading` says otherwise, the h1. */
  title: string;
  /** The page's content inside <main>, after its h1. */
  body: Html;
  /** Default 200; a form with errors answers 400 with the form. */
  status?: ContentfulStatusCode;
  /** The path of the nav link to mark as the current page; default the request's path. */
  current?: string;
}

/** Pages' text by their Response, so compression need not read it back through the body stream. */
const rendered = new WeakMap<Response, string>();

/** The text `renderPage` answered `response` with; undefined for any other response. */
export function renderedText(response: Response): string | undefined {
  return rendered.get(response);
}

/** Answers `content` in the layout (header, nav, main, footer) as text/html. */
export function renderPage(c: Context<AppEnv>, content: PageContent): Response {
  const text = layout(c, content).toString();
  const response = c.html(text, content.status ?? 200);
  rendered.set(response, text);
  return response;
}
