import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ErrorBody } from '@loglens/contracts';
import { keyOf } from '../auth/api-key.guard';
import { requestKeyHash } from '../auth/key-hash';
import { PREDICT_ROUTE } from '../models/predict-route';
import type { Refusal } from './http-adapter';

export interface RateLimits {
  /** requests a minute per presented key (every route but predict/infer) */
  keyPerMin: number;
  /** requests a minute per client IP without a key, refused keys included */
  anonPerMin: number;
  /** predict / v2 infer requests a minute per presented key */
  predictPerMin: number;
}

/** Token buckets: each holds up to a minute's budget and refills continuously (no burst at a window edge). */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perMinute: number,
    /** buckets kept at most; past it, full ones are dropped first (a full bucket equals a missing one) */
    private readonly maxBuckets = 100_000,
  ) {}

  /** Takes one token; the milliseconds to wait when there is none (0: allowed). */
  take(id: string, now = Date.now()): number {
    const b = this.refill(id, now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) * (60_000 / this.perMinute));
  }

  /** Whether the bucket is empty, without taking a token. */
  exhausted(id: string, now = Date.now()): boolean {
    return this.buckets.has(id) && this.refill(id, now).tokens < 1;
  }

  get size(): number {
    return this.buckets.size;
  }

  private refill(id: string, now: number): { tokens: number; at: number } {
    let b = this.buckets.get(id);
    if (!b) {
      if (this.buckets.size >= this.maxBuckets) this.prune(now);
      b = { tokens: this.perMinute, at: now };
      this.buckets.set(id, b);
      return b;
    }
    b.tokens = Math.min(this.perMinute, b.tokens + ((now - b.at) * this.perMinute) / 60_000);
    b.at = now;
    return b;
  }

  /** Drops buckets that have refilled; if every one is in use, the oldest half (their clients start afresh). */
  private prune(now: number): void {
    for (const [id, b] of this.buckets) if (b.tokens + ((now - b.at) * this.perMinute) / 60_000 >= this.perMinute) this.buckets.delete(id);
    if (this.buckets.size < this.maxBuckets) return;
    let drop = Math.ceil(this.buckets.size / 2);
    for (const id of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(id);
    }
  }
}

const V2_INFER = /^\/v2\/models\/[^/]+(\/versions\/[^/]+)?\/infer\/?$/;

/** Whether a request spends the predict budget (POST predict or v2 infer). */
export function isPredictRoute(method: string, path: string): boolean {
  return method === 'POST' && (path === PREDICT_ROUTE || V2_INFER.test(path));
}

/**
 * Per-key and per-IP request budgets, checked first of all: before the key is verified and before any body is read,
 * so a flood costs a map lookup and a 429. The key is not checked here (that is auth work): a request presenting a
 * key spends that key's budget, and when the key is refused (401) the request also spends its IP's anonymous budget,
 * so trying random keys is throttled like anonymous traffic. Limits are per gateway process. The check is the same
 * under both HTTP adapters: it answers null (go on) or the 429 to send (and whatever body follows is then drained).
 */
export function rateLimiter(limits: RateLimits): (method: string, path: string, headers: IncomingHttpHeaders, ip: string, res: ServerResponse) => Refusal | null {
  const keyed = new TokenBuckets(limits.keyPerMin);
  const predict = new TokenBuckets(limits.predictPerMin);
  const anon = new TokenBuckets(limits.anonPerMin);
  return (method, path, headers, ip, res) => {
    const key = keyOf({ headers });
    let waitMs: number;
    let what: string;
    if (key === null) {
      waitMs = anon.take(ip);
      what = `${limits.anonPerMin} requests a minute from one address without an API key`;
    } else if (anon.exhausted(ip)) {
      // this address spent its anonymous budget on refused keys: no more guesses until it refills
      waitMs = anon.take(ip);
      what = `${limits.anonPerMin} requests a minute from one address without a valid API key`;
    } else {
      const id = requestKeyHash(headers, key);
      const forPredict = isPredictRoute(method, path);
      waitMs = (forPredict ? predict : keyed).take(id);
      what = forPredict ? `${limits.predictPerMin} predict/infer requests a minute per API key` : `${limits.keyPerMin} requests a minute per API key`;
      if (waitMs === 0) res.once('finish', () => res.statusCode === 401 && anon.take(ip));
    }
    if (waitMs === 0) return null;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    const body: ErrorBody = { code: 'OVERLOADED', message: `rate limit exceeded: at most ${what}; retry in ${seconds} s` };
    return { status: 429, body, headers: { 'Retry-After': String(seconds) } };
  };
}

/** rateLimiter as Express middleware. */
export function rateLimit(limits: RateLimits, clientIp: (req: Request) => string): RequestHandler {
  const check = rateLimiter(limits);
  return (req: Request, res: Response, next: NextFunction) => {
    const refusal = check(req.method, req.path, req.headers, clientIp(req), res);
    if (!refusal) return next();
    for (const [name, value] of Object.entries(refusal.headers ?? {})) res.setHeader(name, value);
    res.status(refusal.status).json(refusal.body);
    // like a refused key: whatever body follows is drained, never buffered or parsed
    req.resume();
  };
}
