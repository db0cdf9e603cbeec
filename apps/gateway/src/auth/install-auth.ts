import type { NestExpressApplication } from '@nestjs/platform-express';
import { AuditSink } from '../audit/audit-sink';
import { auditTrail } from '../audit/audit-trail';
import { authenticateBeforeBody } from './authenticate-before-body';
import { KeyStore } from './key-store';

/**
 * The Express middleware of authentication and audit. Must run before any body parser: a request with a body and no
 * valid key is answered 401 unread, and the audit hook must see every response.
 */
export function installAuth(app: NestExpressApplication): void {
  app.use(authenticateBeforeBody(app.get(KeyStore)));
  app.use(auditTrail(app.get(AuditSink)));
}
