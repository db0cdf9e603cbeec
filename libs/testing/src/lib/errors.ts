import { LogLensError } from '@loglens/contracts';

/** The typed error a call failed with (fails the spec when the call succeeds or throws something else). */
export async function errorOf(p: Promise<unknown>): Promise<LogLensError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LogLensError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}
