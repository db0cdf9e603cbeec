import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { HandlesRpc } from '@loglens/nest-common';
import { DriftReportRequest, DriftSubjects, type DriftReportReply } from '@loglens/contracts';
import { DriftService } from './drift.service';

@Controller()
export class DriftController {
  constructor(private readonly drift: DriftService) {}

  @HandlesRpc(DriftSubjects.report)
  report(@Payload() req: DriftReportRequest): Promise<DriftReportReply> {
    return this.drift.report(req);
  }
}
