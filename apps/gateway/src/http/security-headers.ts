import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * The CSP hashes of the inline code a page runs: `<script>` bodies without `src`, and `on…=` handlers (Angular's
 * build loads its stylesheet with `onload="this.media='all'"`). Hashes, not 'unsafe-inline': any other inline script
 * (an injected one) stays blocked.
 */
export function inlineScriptHashes(html: string): { hashes: string[]; handlers: boolean } {
  const sources: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) if (!/\bsrc\s*=/i.test(m[1]) && m[2].trim()) sources.push(m[2]);
  let handlers = false;
  for (const tag of html.matchAll(/<[a-z][^>]*>/gi)) {
    for (const m of tag[0].matchAll(/\son[a-z]+\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
      sources.push(decodeEntities(m[1] ?? m[2]));
      handlers = true;
    }
  }
  const hashes = [...new Set(sources.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`))];
  return { hashes, handlers };
}

function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Helmet's headers with a CSP the console and /docs work under: scripts from this origin (plus the hashes of the
 * console's inline code), styles inline too (Angular and Swagger UI inject `<style>` elements), no plugins, no
 * framing, nothing sent off-origin. No `upgrade-insecure-requests`: a gateway on plain http (a laptop, a cluster
 * behind a TLS proxy that forwards http) would have every asset rewritten to an https URL nobody serves.
 */
export function securityHeaders(consoleHtml: string | null): RequestHandler {
  return replayed(helmetOf(consoleHtml));
}

/**
 * Helmet's headers, which depend on nothing of the request (static directives), taken once from a run of its middleware
 * and set on every answer by one loop: the same headers in the same order, without its chain of twelve middlewares per
 * request. Helmet as it is if a run does not finish at once without an error.
 */
function replayed(middleware: RequestHandler): RequestHandler {
  const ops: [name: string, value: string | undefined][] = [];
  const res = {
    setHeader: (name: string, value: string) => void ops.push([name, String(value)]),
    removeHeader: (name: string) => void ops.push([name, undefined]),
  };
  let finished = false;
  middleware({ headers: {}, method: 'GET', url: '/' } as never, res as never, ((err?: unknown) => (finished = err === undefined)) as never);
  if (!finished) return middleware;
  return (_req, response, next) => {
    for (const [name, value] of ops) {
      if (value === undefined) response.removeHeader(name);
      else response.setHeader(name, value);
    }
    next();
  };
}

/** Helmet configured for the gateway (securityHeaders sets what it sets). */
export function helmetOf(consoleHtml: string | null): RequestHandler {
  const inline = consoleHtml ? inlineScriptHashes(consoleHtml) : { hashes: [], handlers: false };
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'", ...(inline.handlers ? ["'unsafe-hashes'"] : []), ...inline.hashes],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'script-src-attr': inline.handlers ? ["'unsafe-hashes'", ...inline.hashes] : ["'none'"],
      },
    },
    // the console and the API are one origin; other origins get what CORS_ORIGINS allows
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/**
 * The CORS policy of CORS_ORIGINS: empty → no cross-origin access (the browser's same-origin rule; no CORS header is
 * ever sent); `*` → any origin; else exactly the listed origins. Credentials travel in headers (never cookies), so
 * no `Access-Control-Allow-Credentials`.
 */
export function corsOptions(origins: string): CorsOptions {
  const list = origins
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  return {
    origin: list.length === 0 ? false : list.includes('*') ? '*' : list,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'x-api-key', 'content-type', 'content-encoding', 'idempotency-key', 'if-match', 'last-event-id'],
    exposedHeaders: ['retry-after', 'idempotency-key', 'location'],
    credentials: false,
    maxAge: 600,
  };
}
