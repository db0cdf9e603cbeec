import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { LogLensError, RegistrySubjects, formatVersionRef, type LoadVersionReply, type ModelVersionDto } from '@loglens/contracts';
import { AliasEntity } from './alias.entity';
import { toServingDto, toVersionDto } from './model.mapper';
import { ModelVersionEntity } from './model-version.entity';
import { RegistryEvents } from './registry-events';
import { resolveVersionRef } from './version-resolver';

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
      const name = formatVersionRef(r.model.name, r.version.version);
      if (r.version.archivedAt) throw new LogLensError('CONFLICT', `${name} is archived and cannot be loaded`);
      if (r.version.status === 'invalid') throw new LogLensError('CONFLICT', `${name} failed validation and cannot be loaded`);
      if (r.version.status === 'registered') throw new LogLensError('CONFLICT', `${name} has not been validated yet`);
      if (r.version.status !== 'serving') {
        r.version.status = 'loaded';
        await m.getRepository(ModelVersionEntity).update({ id: r.version.id }, { status: 'loaded' });
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
      const name = formatVersionRef(r.model.name, r.version.version);
      if (r.version.status === 'serving') throw new LogLensError('CONFLICT', `${name} is serving: deploy or roll back to another version first`);
      if (r.version.status === 'loaded') {
        r.version.status = 'validated';
        await m.getRepository(ModelVersionEntity).update({ id: r.version.id }, { status: 'validated' });
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
      const name = formatVersionRef(r.model.name, r.version.version);
      if (r.model.servingVersionId === r.version.id) throw new LogLensError('CONFLICT', `${name} is serving and cannot be archived`);
      const aliases = await m.getRepository(AliasEntity).find({ where: { versionId: r.version.id } });
      if (aliases.length) {
        throw new LogLensError('CONFLICT', `${name} is what alias(es) ${aliases.map((a) => a.alias).join(', ')} point at: move them first`);
      }
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
