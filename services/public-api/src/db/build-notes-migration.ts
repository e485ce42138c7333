import type { Kysely, Migration } from 'kysely';

/**
 * Lines public-api itself writes into a build's log (`_script`): what happened to the build
 * that no runner could report, such as the loss of its runner. Kept apart from the runners'
 * log chunks, whose index starts over when a build is re-queued.
 */
export const buildNotesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('build_notes')
      .addColumn('build_id', 'text', (c) => c.notNull().references('builds.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('build_notes_pk', ['build_id', 'seq'])
      .execute();
  },
};
