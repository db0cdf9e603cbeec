import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
import {
  ClaimIdempotencyKeyRequest,
  RegistrySubjects,
  SettleIdempotencyKeyRequest,
  type ClaimIdempotencyKeyReply,
  type SettleIdempotencyKeyReply,
} from '@loglens/contracts';
import { IdempotencyService } from './idempotency.service';

@Controller()
export class IdempotencyController {
  constructor(private readonly idempotency: IdempotencyService) {}

  @HandlesRpc(RegistrySubjects.claimIdempotencyKey)
  claim(@Payload() req: ClaimIdempotencyKeyRequest): Promise<ClaimIdempotencyKeyReply> {
    return this.idempotency.claim(req);
  }

  @HandlesRpc(RegistrySubjects.settleIdempotencyKey)
  settle(@Payload() req: SettleIdempotencyKeyRequest): Promise<SettleIdempotencyKeyReply> {
    return this.idempotency.settle(req);
  }
}
