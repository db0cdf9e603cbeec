import { Catch, Logger, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { isErrorBody, LogLensError, type ErrorBody } from '@loglens/contracts';
import { throwError, type Observable } from 'rxjs';

/** Turns anything a handler throws into a typed ErrorBody reply; stack traces stay in the service log. */
@Catch()
export class ContractExceptionFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('rpc');

  catch(exception: unknown, host: ArgumentsHost): Observable<ErrorBody> {
    return throwError(() => this.toBody(exception, host));
  }

  private toBody(exception: unknown, host: ArgumentsHost): ErrorBody {
    if (exception instanceof LogLensError) return exception.toBody();
    if (exception instanceof RpcException) {
      const e = exception.getError();
      if (isErrorBody(e)) return e;
      return { code: 'INTERNAL', message: typeof e === 'string' ? e : 'internal error' };
    }
    const pattern = host.switchToRpc().getContext<{ getSubject?: () => string }>()?.getSubject?.() ?? 'message';
    this.logger.error(`unhandled error on ${pattern}`, exception instanceof Error ? exception.stack : String(exception));
    return { code: 'INTERNAL', message: `internal error while handling ${pattern}` };
  }
}
