import type { IncomingHttpHeaders } from 'node:http';
import { EXPECTED_CURRENT_PATTERN, LogLensError } from '@loglens/contracts';

/** How OpenAPI describes the precondition, on every route that takes it. */
export const EXPECTED_CURRENT_DOC =
  'precondition: the version you saw current (`name@N`, `N`, or `none`). When it has changed since, nothing is done and the answer is 409 naming the actual current version. Same as the `If-Match` header.';

/**
 * The caller's precondition: `expectedCurrent` in the body or an `If-Match` header (`iris@2`, quotes allowed, as an
 * ETag is written). Both given and different → 400.
 */
export function expectedCurrentOf(req: { headers: IncomingHttpHeaders }, fromBody: string | undefined): string | undefined {
  const header = req.headers['if-match'];
  let fromHeader: string | undefined;
  if (header !== undefined) {
    const value = (Array.isArray(header) ? header.join(',') : header).trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
    if (!EXPECTED_CURRENT_PATTERN.test(value)) throw new LogLensError('VALIDATION_FAILED', `If-Match must name one version (name@N, N or "none"), not ${JSON.stringify(header)}`);
    fromHeader = value;
  }
  if (fromHeader !== undefined && fromBody !== undefined && fromHeader !== fromBody) {
    throw new LogLensError('VALIDATION_FAILED', `If-Match (${fromHeader}) and expectedCurrent (${fromBody}) disagree: send one`);
  }
  return fromHeader ?? fromBody;
}
