import type { Db } from '../db/database';
import type { BuildNotesTable } from '../db/builds-schema';

export type BuildNoteRecord = Readonly<BuildNotesTable>;

/** public-api's own lines in a build's log, numbered per build in the order they were added. */
export class BuildNotesRepository {
  constructor(private readonly db: Db) {}

  /**
   * Adds a line after the build's others; call inside the transaction that made it true. The
   * text is one line without control characters (the caller builds it from checked values).
   */
  async add(buildId: string, at: string, text: string): Promise<void> {
    const last = await this.db
      .selectFrom('build_notes')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('build_id', '=', buildId)
      .executeTakeFirst();
    const seq = Number(last?.seq ?? 0) + 1;
    await this.db.insertInto('build_notes').values({ build_id: buildId, seq, at, text }).execute();
  }

  list(buildId: string): Promise<BuildNoteRecord[]> {
    return this.db
      .selectFrom('build_notes')
      .selectAll()
      .where('build_id', '=', buildId)
      .orderBy('seq')
      .execute();
  }
}
