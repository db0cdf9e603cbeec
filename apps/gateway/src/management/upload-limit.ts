import { UPLOAD_MAX_BYTES } from '@loglens/contracts';

/**
 * MODEL_UPLOAD_LIMIT (bytes, or with kb / mb suffix; default 100 MiB). Read at module load because multer's limits
 * are fixed when the route's interceptor is created.
 */
export function uploadLimitBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['MODEL_UPLOAD_LIMIT']?.trim().toLowerCase();
  if (!raw) return UPLOAD_MAX_BYTES;
  const m = /^(\d+)(b|kb|mb)?$/.exec(raw);
  if (!m) throw new Error(`MODEL_UPLOAD_LIMIT must look like 100mb (got "${raw}")`);
  const bytes = Number(m[1]) * (m[2] === 'mb' ? 1024 * 1024 : m[2] === 'kb' ? 1024 : 1);
  return Math.min(bytes, UPLOAD_MAX_BYTES);
}
