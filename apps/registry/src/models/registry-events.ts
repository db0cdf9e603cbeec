import { Injectable } from '@nestjs/common';
import { RegistrySubjects, type ExperimentChangedEvent, type ServingVersionDto, type VersionDeployedEvent, type VersionLifecycleEvent } from '@loglens/contracts';
import { EventBus } from '@loglens/nest-common';

type LifecycleSubject =
  | typeof RegistrySubjects.versionRegistered
  | typeof RegistrySubjects.versionValidated
  | typeof RegistrySubjects.versionLoadRequested
  | typeof RegistrySubjects.versionUnloadRequested
  | typeof RegistrySubjects.versionArchived
  | typeof RegistrySubjects.aliasChanged;

/** Publishes registry events; always after the transaction that made the change has committed. */
@Injectable()
export class RegistryEvents {
  constructor(private readonly bus: EventBus) {}

  deployed(event: VersionDeployedEvent): void {
    this.bus.publish(RegistrySubjects.versionDeployed, event);
  }

  experimentChanged(event: ExperimentChangedEvent): void {
    this.bus.publish(RegistrySubjects.experimentChanged, event);
  }

  lifecycle(
    subject: LifecycleSubject,
    e: { model: string; ref: string; actor: string; info?: ServingVersionDto; detail?: Record<string, unknown> },
  ): void {
    const event: VersionLifecycleEvent = { ...e, at: new Date().toISOString() };
    this.bus.publish(subject, event);
  }
}
