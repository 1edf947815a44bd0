/**
 * The few choices the app remembers between launches (the dataset folder the user picked), in a
 * small JSON file beside the database. A missing or unreadable file means defaults.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const settingsSchema = z.object({ dataDir: z.string().optional() });
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
