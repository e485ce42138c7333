import type { Db } from '../db/database';
import type { ParamSetsTable } from '../db/schema';
import type { LabelFilterGroups, ParamSet } from '../domain';

/** A value as stored: its name in clear, its value sealed with the org's data key. */
export interface SealedParamValue {
  readonly name: string;
  readonly sealedValue: string;
}

export interface ParamSetRecord {
  readonly id: string;
  readonly org: string;
  readonly description: string;
  readonly labelFilters: LabelFilterGroups;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ParamSetWithSealedValues {
  readonly set: ParamSet;
  readonly values: readonly SealedParamValue[];
}

function toParamSet(row: ParamSetsTable, names: string[]): ParamSet {
  return {
    id: row.id,
    org: row.org,
    description: row.description,
    labelFilters: JSON.parse(row.label_filters) as LabelFilterGroups,
    names,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Parameter sets and their sealed values; a set and its values always change in one transaction. */
export class ParamSetsRepository {
  constructor(private readonly db: Db) {}

  async insert(set: ParamSetRecord, values: readonly SealedParamValue[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('param_sets')
        .values({
          id: set.id,
          org: set.org,
          description: set.description,
          label_filters: JSON.stringify(set.labelFilters),
          created_at: set.createdAt,
          updated_at: set.updatedAt,
        })
        .execute();
      if (values.length === 0) return;
      await tx
        .insertInto('param_values')
        .values(values.map((v) => ({ set_id: set.id, name: v.name, sealed_value: v.sealedValue })))
        .execute();
    });
  }

  /**
   * Replaces description and filters, and all values when `values` is given (else keeps them).
   * Returns `false` when the set does not exist in `org`.
   */
  async replace(
    org: string,
    id: string,
    changes: Pick<ParamSetRecord, 'description' | 'labelFilters' | 'updatedAt'>,
    values: readonly SealedParamValue[] | undefined,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const result = await tx
        .updateTable('param_sets')
        .set({
          description: changes.description,
          label_filters: JSON.stringify(changes.labelFilters),
          updated_at: changes.updatedAt,
        })
        .where('org', '=', org)
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      if (values === undefined) return true;
      await tx.deleteFrom('param_values').where('set_id', '=', id).execute();
      if (values.length > 0) {
        await tx
          .insertInto('param_values')
          .values(values.map((v) => ({ set_id: id, name: v.name, sealed_value: v.sealedValue })))
          .execute();
      }
      return true;
    });
  }

  async delete(org: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('param_sets')
      .where('org', '=', org)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The sets of `org` (or the one with `id`) with their sealed values, names in order. */
  async listWithValues(org: string, id?: string): Promise<ParamSetWithSealedValues[]> {
    let setsQuery = this.db
      .selectFrom('param_sets')
      .selectAll()
      .where('org', '=', org)
      .orderBy('created_at')
      .orderBy('id');
    if (id !== undefined) setsQuery = setsQuery.where('id', '=', id);
    const sets = await setsQuery.execute();
    if (sets.length === 0) return [];
    const values = await this.db
      .selectFrom('param_values')
      .select(['set_id', 'name', 'sealed_value'])
      .where(
        'set_id',
        'in',
        sets.map((s) => s.id),
      )
      .orderBy('name')
      .execute();
    return sets.map((row) => {
      const own = values.filter((v) => v.set_id === row.id);
      return {
        set: toParamSet(
          row,
          own.map((v) => v.name),
        ),
        values: own.map((v) => ({ name: v.name, sealedValue: v.sealed_value })),
      };
    });
  }
}
