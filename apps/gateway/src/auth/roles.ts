import { SetMetadata } from '@nestjs/common';
import { API_ROLES, type ApiRole } from '@loglens/contracts';

export const ROLES = API_ROLES;
export type Role = ApiRole;

export const REQUIRED_ROLE = 'loglens:required-role';
/** Least role a route needs; routes without it need `viewer`. */
export const RequiresRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);
/** Routes open without a key (health, docs). */
export const PUBLIC_ROUTE = 'loglens:public';
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** Parses `role:key,role:key`. */
export function parseApiKeys(spec: string): Map<string, Role> {
  const keys = new Map<string, Role>();
  for (const pair of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const idx = pair.indexOf(':');
    keys.set(pair.slice(idx + 1), pair.slice(0, idx) as Role);
  }
  return keys;
}

/**
 * Routes that also accept a short-lived token as `?token=` (EventSource cannot send headers). Never a key: a URL
 * ends up in proxy logs and browser history, and a token is worthless minutes later (POST /api/v1/auth/tokens).
 */
export const QUERY_TOKEN_ROUTE = 'loglens:query-token';
export const AllowQueryToken = () => SetMetadata(QUERY_TOKEN_ROUTE, true);
