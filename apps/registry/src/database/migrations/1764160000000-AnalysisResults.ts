import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '../schema';

/** Window results published by the agents, stored once per window id (redelivery never doubles a result). */
export class AnalysisResults1764160000000 implements MigrationInterface {
  name = 'AnalysisResults1764160000000';

  async up(q: QueryRunner): Promise<void> {
    const s = `"${schemaOf(q)}"`;
    await q.query(`
      CREATE TABLE ${s}.analysis_results (
        id             varchar(64) PRIMARY KEY,
        agent          varchar(16) NOT NULL,
        source         varchar(64) NOT NULL,
        window_key     varchar(256) NOT NULL,
        window_start   timestamptz NOT NULL,
        window_end     timestamptz NOT NULL,
        record_count   int NOT NULL,
        anomaly_score  double precision NULL,
        is_anomaly     boolean NOT NULL,
        model_version  varchar(128) NULL,
        result         jsonb NOT NULL,
        stored_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX analysis_results_source_start_idx ON ${s}.analysis_results (source, window_start DESC)`);
    await q.query(`CREATE INDEX analysis_results_anomalies_idx ON ${s}.analysis_results (window_start DESC) WHERE is_anomaly`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${schemaOf(q)}".analysis_results`);
  }
}
