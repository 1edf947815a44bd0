/**
 * The few choices the app remembers between launches (the dataset folder the user picked), in a
 * small JSON file beside the database. A missing or unreadable file means defaults.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { z } from 'zod';

const settingsSchema = z.object({
  dataDir: z.string().optional(),
  /** Trainer processes at once (default: half the cores, at least 1). */
  parallelTrainers: z.number().int().min(1).max(64).optional(),
  /** Compute threads of a trainer that runs alone, up to every core (default: DEFAULT_THREADS). */
  maxThreads: z.number().int().min(1).max(256).optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

export class SettingsFile {
  private current: Settings;

  constructor(private readonly path: string) {
    this.current = this.read();
  }

  private read(): Settings {
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  get(): Settings {
    return this.current;
  }

  update(patch: Partial<Settings>): void {
    this.current = { ...this.current, ...patch };
    mkdirSync(dirname(this.path), { recursive: true });
    // Write-then-rename: a crash mid-write leaves the old file, never half a file.
    writeFileSync(`${this.path}.tmp`, JSON.stringify(this.current, null, 2));
    renameSync(`${this.path}.tmp`, this.path);
  }
}

/** Half the cores, at least one: each trainer keeps one core busy, leaving the rest for the window. */
export function defaultParallelTrainers(cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / 2));
}
