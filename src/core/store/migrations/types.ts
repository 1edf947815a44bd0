/** A numbered schema step. Versions are consecutive from 1; a step is never edited once shipped. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
