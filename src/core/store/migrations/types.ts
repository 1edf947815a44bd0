import type Database from 'better-sqlite3';

/** A numbered schema step. Versions are consecutive from 1; a step is never edited once shipped. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Row changes made in code after `sql`, given the database file (e.g. paths relative to its folder). */
  rewrite?: (db: Database.Database, file: string) => void;
}
