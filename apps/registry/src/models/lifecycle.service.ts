import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RegistrySubjects, formatVersionRef, statusAfterLoad, type LoadVersionReply, type ModelVersionDto } from '@loglens/contracts';
import { AliasEntity } from './alias.entity';
import { toServingDto, toVersionDto } from './model.mapper';
import { ModelVersionEntity } from './model-version.entity';
import { RegistryEvents } from './registry-events';
import { resolveVersionRef } from './version-resolver';
import { enforce, versionFacts } from './version-rules';

/** Load / unload (warm a version in the workers without serving it), archive and tags. */
@Injectable()
export class LifecycleService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly events: RegistryEvents,
  ) {}

  async load(ref: string, actor: string): Promise<LoadVersionReply> {
    const { model, version } = await this.ds.transaction(async (m) => {
      const r = await resolveVersionRef(m, ref, true);
      enforce('load', versionFacts(r.model, r.version));
      const next = statusAfterLoad(r.version.status, 'load');
      if (next !== r.version.status) {
        r.version.status = next;
        await m.getRepository(ModelVersionEntity).update({ id: r.version.id }, { status: next });
      }
      return r;
    });
    const name = formatVersionRef(model.name, version.version);
    this.events.lifecycle(RegistrySubjects.versionLoadRequested, { model: model.name, ref: name, actor, info: toServingDto(model, version) });
    return { ref: name, status: version.status };
  }

  async unload(ref: string, actor: string): Promise<LoadVersionReply> {
    const { model, version } = await this.ds.transaction(async (m) => {
      const r = await resolveVersionRef(m, ref, true);
      enforce('unload', versionFacts(r.model, r.version));
      const next = statusAfterLoad(r.version.status, 'unload');
      if (next !== r.version.status) {
        r.version.status = next;
        await m.getRepository(ModelVersionEntity).update({ id: r.version.id }, { status: next });
      }
      return r;
    });
    const name = formatVersionRef(model.name, version.version);
    this.events.lifecycle(RegistrySubjects.versionUnloadRequested, { model: model.name, ref: name, actor, info: toServingDto(model, version) });
    return { ref: name, status: version.status };
  }

  async archive(ref: string, actor: string): Promise<ModelVersionDto> {
    const { model, version } = await this.ds.transaction(async (m) => {
      const r = await resolveVersionRef(m, ref, true);
      const aliases = await m.getRepository(AliasEntity).find({ where: { versionId: r.version.id } });
      enforce('archive', versionFacts(r.model, r.version, aliases.map((a) => a.alias)));
      if (!r.version.archivedAt) {
        r.version.archivedAt = new Date();
        r.version.status = 'retired';
        await m.getRepository(ModelVersionEntity).update({ id: r.version.id }, { archivedAt: r.version.archivedAt, status: 'retired' });
      }
      return r;
    });
    const name = formatVersionRef(model.name, version.version);
    this.events.lifecycle(RegistrySubjects.versionArchived, { model: model.name, ref: name, actor, info: toServingDto(model, version) });
    return toVersionDto(model, version);
  }

  async tag(ref: string, tags: string[]): Promise<ModelVersionDto> {
    const { model, version } = await resolveVersionRef(this.ds.manager, ref);
    version.tags = [...new Set(tags)];
    await this.ds.getRepository(ModelVersionEntity).update({ id: version.id }, { tags: version.tags });
    return toVersionDto(model, version);
  }
}
