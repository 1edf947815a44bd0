/**
 * Writing many synthetic runs fast: the store's own modules (createRun, recordEvent) over one
 * connection, with `transaction` wrapping a whole batch of runs in one commit. Every row is written
 * by the same statements, with the same checks, as the app's; only the commits are saved.
 */
import type Database from 'better-sqlite3';
import type { Hyperparams } from '../../shared/hyperparams';
import type { CreateRunOptions } from '../../shared/runs';
import type { TrainerEvent } from '../../shared/training';
import { createContext, type StoreContext } from './context';
import { closeDatabase, openDatabase, type OpenedDatabase } from './db';
import { recordEvent } from './events';
import { defaultCheckpointRoot, runCheckpointDir } from '../paths';
import { createRun } from './runs';

/** What seeding writes through: a Store, or the bulk writer below (the same modules, one transaction). */
export interface RunWriter {
  createRun(config: Hyperparams, options?: CreateRunOptions): number;
  recordEvent(runId: number, event: TrainerEvent): void;
}

export interface BulkWriter extends RunWriter {
  /** Run `fn` in one transaction: one commit for everything it writes. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/**
 * The connection as the store's modules see it inside the bulk transaction: the same one, except
 * that the transaction each of them opens just runs its function. As savepoints (SQLite's nested
 * transactions) they would cost a third of the seeding time and buy nothing here: any error
 * aborts the whole bulk transaction anyway.
 */
function flatTransactions(db: Database.Database): Database.Database {
  const transaction = <F extends (...args: never[]) => unknown>(fn: F) =>
    Object.assign((...args: Parameters<F>) => fn(...args), { default: fn, deferred: fn, immediate: fn, exclusive: fn });
  return new Proxy(db, {
    get(target, key) {
      if (key === 'transaction') return transaction;
      const value: unknown = Reflect.get(target, key, target);
      // better-sqlite3's native methods must be called on the real object, not on the proxy.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Open (creating and migrating if needed) the database at `file` for bulk writes. */
export function openBulkWriter(file: string): BulkWriter {
  const opened: OpenedDatabase = openDatabase(file);
  const checkpointRoot = defaultCheckpointRoot(opened.file);
  const ctx: StoreContext = createContext(
    flatTransactions(opened.db),
    opened.file,
    opened.readonly,
    checkpointRoot,
    (runId) => runCheckpointDir(checkpointRoot, runId),
  );
  return {
    createRun: (config, options) => createRun(ctx, config, options),
    recordEvent: (runId, event) => recordEvent(ctx, runId, event),
    transaction: (fn) => opened.db.transaction(fn).immediate(),
    close: () => closeDatabase(opened),
  };
}
