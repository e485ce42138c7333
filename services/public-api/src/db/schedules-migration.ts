import type { Kysely, Migration } from 'kysely';

/**
 * Cron schedules of a repository (services/public-api/README.md, "Schedules") and the ticks
 * they fired. `last_tick_at` is the claim: a public-api process builds a tick only if it moves
 * `last_tick_at` forward in the same transaction that queues the build, so a tick builds once
 * however many processes see it. `schedule_runs` keeps what each claimed tick did; its key
 * (schedule, tick) holds the same rule a second time.
 */
export const schedulesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('schedules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('repo_id', 'text', (c) => c.notNull().references('repos.id').onDelete('cascade'))
      .addColumn('cron', 'text', (c) => c.notNull())
      .addColumn('timezone', 'text', (c) => c.notNull())
      .addColumn('branch', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('param_names', 'text', (c) => c.notNull())
      .addColumn('params_sealed', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('counts_from', 'text', (c) => c.notNull())
      .addColumn('last_tick_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('schedules_repo').on('schedules').column('repo_id').execute();
    await db.schema
      .createTable('schedule_runs')
      .addColumn('schedule_id', 'text', (c) =>
        c.notNull().references('schedules.id').onDelete('cascade'),
      )
      .addColumn('tick_at', 'text', (c) => c.notNull())
      .addColumn('covers', 'integer', (c) => c.notNull())
      .addColumn('fired_at', 'text', (c) => c.notNull())
      .addColumn('build_id', 'text', (c) => c.references('builds.id').onDelete('set null'))
      .addColumn('ignored_reason', 'text')
      .addPrimaryKeyConstraint('schedule_runs_pk', ['schedule_id', 'tick_at'])
      .execute();
  },
};
