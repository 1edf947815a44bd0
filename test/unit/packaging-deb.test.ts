/**
 * `npm run dist` can make the .deb: electron-builder's own checks, run on package.json and
 * electron-builder.yml without the Electron binary. Its package.json reader and metadata check
 * (the fields every target needs), then the deb target's own refusal (FpmTarget: a project
 * homepage, and an author with an e-mail for the maintainer field), which stopped `npm run dist`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const PACKAGE_JSON = join(ROOT, 'package.json');
const fromBuilder = createRequire(createRequire(PACKAGE_JSON).resolve('electron-builder'));

type Metadata = Record<string, unknown>;
const { readPackageJson, checkMetadata } = fromBuilder('app-builder-lib/out/util/packageMetadata.js') as {
  readPackageJson(file: string): Promise<Metadata>;
  checkMetadata(metadata: Metadata, dev: Metadata, file: string, devFile: string): void;
};
const { AppInfo } = fromBuilder('app-builder-lib/out/appInfo.js') as {
  AppInfo: new (info: unknown, buildVersion: null, platformOptions: unknown) => unknown;
};
const FpmTarget = (fromBuilder('app-builder-lib/out/targets/FpmTarget.js') as { default: { prototype: unknown } })
  .default;
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

/** The deb target's metadata check on `metadata`, as `npm run dist` makes it before packing. */
async function debMetaInfo(metadata: Metadata): Promise<Record<string, string>> {
  const info = { metadata, devMetadata: metadata, config, repositoryInfo: Promise.resolve(null) };
  const appInfo = new AppInfo(info, null, config['linux']);
  const target = {
    packager: { appInfo, info },
    options: { ...(config['linux'] as object), ...(config['deb'] as object) },
  };
  const compute = (FpmTarget.prototype as { computeFpmMetaInfoOptions(this: unknown): Promise<Record<string, string>> })
    .computeFpmMetaInfoOptions;
  return compute.call(target);
}

describe('packaging metadata', () => {
  it("passes electron-builder's package.json check and its deb target's", async () => {
    const metadata = await readPackageJson(PACKAGE_JSON);
    expect(() => checkMetadata(metadata, metadata, PACKAGE_JSON, PACKAGE_JSON)).not.toThrow();
    const pkg = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as {
      homepage: string;
      author: { name: string; email: string };
    };
    expect(await debMetaInfo(metadata)).toMatchObject({
      url: pkg.homepage,
      maintainer: `${pkg.author.name} <${pkg.author.email}>`,
    });
  });

  it('the same check refuses a package.json without them, as it did before they were given', async () => {
    const metadata = await readPackageJson(PACKAGE_JSON);
    const { homepage: _homepage, author: _author, ...without } = metadata;
    await expect(debMetaInfo(without)).rejects.toThrow(/Please specify project homepage[\s\S]*author 'email'/);
  });
});
