import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  LogLensError,
  RegistrySubjects,
  formatVersionRef,
  type DeployAction,
  type DeployVersionReply,
  type VersionDeployedEvent,
} from '@loglens/contracts';
import { EventBus } from '@loglens/nest-common';
import { toServingDto } from './model.mapper';
import { DeploymentEntity } from './deployment.entity';
import { ModelVersionEntity } from './model-version.entity';
import { resolveVersionRef } from './version-resolver';
import { ModelEntity } from './model.entity';

/** Changes which version serves, records it in the history, and tells every worker. */
@Injectable()
export class DeploymentsService {
  private readonly logger = new Logger(DeploymentsService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly events: EventBus,
  ) {}

  async deploy(ref: string, actor: string, reason = '', action: DeployAction = 'deploy'): Promise<DeployVersionReply> {
    const { reply, event } = await this.ds.transaction(async (m) => {
      const { model, version } = await resolveVersionRef(m, ref, true);
      if (version.status === 'invalid') {
        throw new LogLensError('INVALID_MODEL', `${formatVersionRef(model.name, version.version)} failed validation and cannot be deployed`);
      }
      const versions = m.getRepository(ModelVersionEntity);
      const previous = model.servingVersionId ? await versions.findOneByOrFail({ id: model.servingVersionId }) : null;
      const to = formatVersionRef(model.name, version.version);
      const from = previous ? formatVersionRef(model.name, previous.version) : null;
      if (previous?.id === version.id) {
        return { reply: { model: model.name, from, to, deployedAt: (model.servingSince ?? new Date()).toISOString() }, event: null };
      }
      const now = new Date();
      if (previous) await versions.update({ id: previous.id }, { status: 'retired' });
      await versions.update({ id: version.id }, { status: 'serving' });
      await m.getRepository(ModelEntity).update({ id: model.id }, { servingVersionId: version.id, servingSince: now });
      await m.getRepository(DeploymentEntity).insert({
        modelId: model.id,
        fromVersionId: previous?.id ?? null,
        toVersionId: version.id,
        action,
        actor,
        reason,
      });
      model.servingVersionId = version.id;
      model.servingSince = now;
      const event: VersionDeployedEvent = {
        model: model.name,
        serving: toServingDto(model, version),
        previousRef: from,
        action,
        actor,
        at: now.toISOString(),
      };
      return { reply: { model: model.name, from, to, deployedAt: now.toISOString() }, event };
    });
    // published after commit: a worker that reacts at once must find the new state in the database
    if (event) {
      this.events.publish(RegistrySubjects.versionDeployed, event);
      this.logger.log(`${event.model}: ${reply.from ?? '(none)'} → ${reply.to} by ${actor}${reason ? ` (${reason})` : ''}`);
    }
    return reply;
  }
}
