import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { LogLensApiError, LogLensUnreachableError } from '@loglens/client';

/** Characters of JSON a tool hands back at most: a model's context is the budget, not the gateway's reply. */
export const MAX_RESULT_CHARS = 48_000;

/** A tool's input the gateway never saw: the model can fix it and call again. */
export class ToolInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A successful result: the data as JSON text (what every MCP client shows), and as structured content. */
export function ok(data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
}

/**
 * Any failure as an `isError` result naming the gateway's status, code and message, so the model can tell the user
 * what happened (or fix its call) instead of the session ending on a protocol error.
 */
export function toolError(e: unknown, action: string): CallToolResult {
  let error: Record<string, unknown>;
  if (e instanceof LogLensApiError) {
    const code = e.code ?? `HTTP_${e.status}`;
    const message = e.body?.message ?? e.message;
    error = { status: e.status, code, message, ...(e.body?.details?.length ? { details: e.body.details } : {}) };
    const hint = hintFor(e.status, code);
    if (hint) error['hint'] = hint;
  } else if (e instanceof LogLensUnreachableError) {
    error = { code: 'UNREACHABLE', message: e.message, hint: 'The LogLens gateway is down or LOGLENS_GATEWAY points elsewhere; tell the user.' };
  } else if (e instanceof ToolInputError) {
    error = { code: e.code, message: e.message };
  } else {
    error = { code: 'INTERNAL', message: (e as Error)?.message ?? String(e) };
  }
  const text = `${action} failed: ${error['code']}: ${error['message']}${error['hint'] ? ` (${error['hint']})` : ''}`;
  return { isError: true, content: [{ type: 'text', text }, { type: 'text', text: JSON.stringify({ error }) }] };
}

function hintFor(status: number, code: string): string | undefined {
  if (status === 401) return 'The API key (LOGLENS_API_KEY of the MCP server) is missing or not accepted by the gateway; the user must configure one.';
  if (status === 403) return 'The MCP server’s API key has too low a role for this; the user must configure a key with the role named above. Do not retry.';
  if (code === 'NOT_FOUND') return 'Check the name with list_models.';
  if (code === 'CONFLICT') return 'The state changed meanwhile; read it again (model_details) before retrying.';
  return undefined;
}

/** Runs a tool body and turns every throw into an `isError` result. */
export async function guarded(action: string, body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (e) {
    return toolError(e, action);
  }
}

/**
 * Keeps the first items of `list`, as many as fit: `shape(kept)` stays under `maxChars` of JSON. A binary search over
 * the count (a dozen JSON.stringify calls for 500 items, not one per item).
 */
export function fitList<T>(list: T[], shape: (kept: T[]) => Record<string, unknown>, maxChars = MAX_RESULT_CHARS): { data: Record<string, unknown>; kept: number } {
  const fits = (n: number): boolean => JSON.stringify(shape(list.slice(0, n))).length <= maxChars;
  if (fits(list.length)) return { data: shape(list), kept: list.length };
  let lo = 0; // fits (or nothing left to drop)
  let hi = list.length; // does not fit
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return { data: shape(list.slice(0, lo)), kept: lo };
}
