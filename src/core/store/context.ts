/**
 * What every table module works with: the connection, a cache of prepared statements and the
 * facts about how the database was opened. Modules take this instead of importing a singleton,
 * so tests and the CLI can hold several stores at once.
 */
import type Database from 'better-sqlite3';
import { readOnlyError } from './errors';

export interface StoreContext {
  db: Database.Database;
  /** Absolute path of the database file, for error messages. */
  file: string;
  readonly: boolean;
  /** Why writes are refused, named in their error (the file or folder that stops them). */
  readonlyReason: string | null;
  /** Checkpoint folders inside this root are deleted with their run. */
  checkpointRoot: string;
  /** The folder a run's checkpoints go to by convention, deleted with the run (inside the root only). */
  checkpointDirOf(runId: number): string;
  /** Prepared once per SQL text and reused: better-sqlite3 statements are cheap to run, not to prepare. */
  statement(sql: string): Database.Statement;
  /** Planned epochs per run (never changes), read once for the batch-slice arithmetic. */
  plannedEpochs: Map<number, number>;
}

export function createContext(
  db: Database.Database,
  file: string,
  readonly: boolean,
  checkpointRoot: string,
  checkpointDirOf: (runId: number) => string,
  readonlyReason: string | null = null,
): StoreContext {
  const cache = new Map<string, Database.Statement>();
  return {
    db,
    file,
    readonly,
    readonlyReason,
    checkpointRoot,
    checkpointDirOf,
    plannedEpochs: new Map(),
    statement(sql) {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = db.prepare(sql);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/** Run `fn` in one IMMEDIATE transaction: the write lock is taken up front, so a busy database
 * fails (after the busy timeout) at BEGIN instead of half-way through. */
export function inWriteTransaction<T>(ctx: StoreContext, fn: () => T): T {
  assertWritable(ctx);
  return ctx.db.transaction(fn).immediate();
}

export function assertWritable(ctx: StoreContext): void {
  if (ctx.readonly) {
    throw readOnlyError(ctx.file, ctx.readonlyReason ?? 'the file or its folder is not writable');
  }
}
