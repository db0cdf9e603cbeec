import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { LogLensClient } from '@loglens/client';
import { createServer } from './server';
import type { ToolOptions } from './tools';

export const MCP_PATH = '/mcp';
/** Largest JSON-RPC body accepted (analyze_logs text of 10,000 long lines fits). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a URL's or Host header's host is this machine (port-agnostic). */
export function isLoopbackHost(host: string): boolean {
  try {
    return LOOPBACK_HOSTNAMES.has(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

/**
 * Why a request is refused before MCP sees it, or null. The MCP specification's security notes for streamable HTTP:
 * validate Origin (a web page in the user's browser must not drive a local server: DNS rebinding), and bind to
 * localhost. An absent Origin (a non-browser client) passes; any Origin other than a loopback one is refused. When
 * bound to loopback, the Host header must name loopback as well.
 */
export function refusal(req: IncomingMessage, boundToLoopback: boolean): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let host: string | null = null;
    try {
      const u = new URL(origin);
      host = u.protocol === 'http:' || u.protocol === 'https:' ? u.host : null;
    } catch {
      host = null;
    }
    if (!host || !isLoopbackHost(host)) return `Origin ${origin} is not allowed: this MCP server only accepts requests from this machine`;
  }
  if (boundToLoopback && !isLoopbackHost(req.headers.host ?? '')) return `Host ${req.headers.host ?? '(none)'} is not allowed: this MCP server is bound to loopback`;
  return null;
}

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error(`the request body is larger than ${MAX_BODY_BYTES} bytes`), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(Object.assign(new Error(`the body is not JSON: ${(e as Error).message}`), { status: 400, jsonRpcCode: -32700 }));
      }
    });
    req.on('error', reject);
  });
}

export interface HttpMcpServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * Streamable HTTP on `/mcp` with the SDK's session handling: an `initialize` POST without a session opens one (its id
 * comes back in `Mcp-Session-Id`), later requests carry that header, DELETE ends it. One McpServer per session.
 */
export async function serveHttp(client: LogLensClient, options: ToolOptions, host: string, port: number): Promise<HttpMcpServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const boundToLoopback = isLoopbackHost(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refused = refusal(req, boundToLoopback);
    if (refused) return sendJsonRpcError(res, 403, -32000, refused);
    if (url.pathname !== MCP_PATH) return sendJsonRpcError(res, 404, -32000, `not found: the MCP endpoint is ${MCP_PATH}`);
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;

    if (req.method === 'POST') {
      let body: unknown;
      try {
        body = await readBody(req);
      } catch (e) {
        const err = e as Error & { status?: number; jsonRpcCode?: number };
        return sendJsonRpcError(res, err.status ?? 400, err.jsonRpcCode ?? -32600, err.message);
      }
      if (existing) return existing.handleRequest(req, res, body);
      if (sessionId !== undefined) return sendJsonRpcError(res, 404, -32001, `session ${String(sessionId)} not found (ended, or the server restarted): initialize a new one`);
      if (!isInitializeRequest(body)) return sendJsonRpcError(res, 400, -32000, 'no Mcp-Session-Id header: the first request of a session must be initialize');
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, transport);
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await createServer(client, options).connect(transport);
      return transport.handleRequest(req, res, body);
    }
    if (req.method === 'GET' || req.method === 'DELETE') {
      if (!existing) return sendJsonRpcError(res, sessionId === undefined ? 400 : 404, -32000, sessionId === undefined ? 'an Mcp-Session-Id header is required' : `session ${String(sessionId)} not found`);
      return existing.handleRequest(req, res);
    }
    res.setHeader('allow', 'GET, POST, DELETE');
    return sendJsonRpcError(res, 405, -32000, `method ${req.method} not allowed on ${MCP_PATH}`);
  };

  const server = createHttpServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      process.stderr.write(`loglens-mcp: ${(e as Error).stack ?? String(e)}\n`);
      sendJsonRpcError(res, 500, -32603, 'internal error');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}${MCP_PATH}`,
    close: async () => {
      await Promise.all([...sessions.values()].map((t) => t.close()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // open SSE streams and idle keep-alive sockets would hold close() forever
      server.closeAllConnections();
      await closed;
    },
  };
}
