import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** The HTTP server under Nest: Fastify (default) or Express (GATEWAY_HTTP_ADAPTER=express). */
export type HttpAdapterName = 'fastify' | 'express';
export const HTTP_ADAPTERS: readonly HttpAdapterName[] = ['fastify', 'express'];

/**
 * What the gateway's code needs of a request, met by Express's `Request` and Fastify's `FastifyRequest` alike (the
 * route pattern is `route.path` on Express, `routeOptions.url` on Fastify: see routeOf).
 */
export interface HttpRequest {
  method: string;
  url: string;
  /** the URL as received (Express: before mounting; Fastify: before rewriting) */
  originalUrl?: string;
  headers: IncomingHttpHeaders;
  ip?: string;
  body?: unknown;
  params?: unknown;
  socket?: { remoteAddress?: string };
  /** Fastify: the node request */
  raw?: IncomingMessage;
  /** Express: the node response */
  res?: ServerResponse;
  route?: { path?: unknown };
  routeOptions?: { url?: string };
}

/** What the gateway's code needs of a response: Express's `Response` and Fastify's `FastifyReply` both have these. */
export interface HttpReply {
  statusCode: number;
  status(code: number): unknown;
  header(name: string, value: string): unknown;
  type(contentType: string): unknown;
  send(body?: unknown): unknown;
  /** Fastify: the node response */
  raw?: ServerResponse;
}

/** The route pattern a request matched (`/model-management/:version/deploy`), under either adapter. */
export function routeOf(req: HttpRequest): string | undefined {
  const fastify = req.routeOptions?.url;
  if (typeof fastify === 'string') return fastify;
  const express = req.route?.path;
  return typeof express === 'string' ? express : undefined;
}

/** The node request behind an Express or Fastify request. */
export function rawRequest(req: HttpRequest): IncomingMessage {
  return req.raw ?? (req as unknown as IncomingMessage);
}

/** The node response behind an Express response or a Fastify reply. */
export function rawResponse(res: HttpReply | ServerResponse): ServerResponse {
  return (res as HttpReply).raw ?? (res as unknown as ServerResponse);
}

/** A JSON answer with its status, the same bytes under either adapter (the content type is set even if one was). */
export function sendJson(res: HttpReply, status: number, body: unknown): void {
  res.status(status);
  res.type('application/json; charset=utf-8');
  res.send(JSON.stringify(body));
}

/** The request path without its query string. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** Whether a request's Accept header takes HTML (no header takes anything), as Express's `req.accepts('html')`. */
export function acceptsHtml(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    if (type === 'text/html' || type === 'text/*' || type === '*/*') return true;
  }
  return false;
}

/** A request refused before routing: status, `{code, message}` body and headers (rate limit, missing key). */
export interface Refusal {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
