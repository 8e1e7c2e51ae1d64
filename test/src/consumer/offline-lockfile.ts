import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * A package-lock.json for a project outside the workspace that depends on `tarballs` (name ->
 * file: path) and on `registry` packages (name -> version), with every third-party package
 * pinned to the version and integrity this repository's own lockfile holds. `npm ci --offline`
 * then installs it from the npm cache `npm ci` filled here, without asking the registry: the
 * consumer test talks to nobody.
 */
export function offlineLockfile(
  repoRoot: string,
  tarballs: Record<string, { path: string; version: string; integrity: string; dependencies: Record<string, string> }>,
  registry: Record<string, string>,
): object {
  const workspace = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const packages: Record<string, LockEntry> = {
    '': {
      name: 'consumer',
      dependencies: { ...Object.fromEntries(Object.entries(tarballs).map(([name, t]) => [name, `file:${t.path}`])), ...registry },
    },
  };
  const wanted: string[] = [];
  for (const [name, t] of Object.entries(tarballs)) {
    packages[`node_modules/${name}`] = { version: t.version, resolved: `file:${t.path}`, integrity: t.integrity, dependencies: t.dependencies };
    for (const dep of Object.keys(t.dependencies)) if (!(dep in tarballs)) wanted.push(dep);
  }
  wanted.push(...Object.keys(registry));
  // Hoisted, as the workspace's own install laid them out: every dependency is found at the top.
  while (wanted.length > 0) {
    const name = wanted.pop()!;
    const key = `node_modules/${name}`;
    if (packages[key]) continue;
    const entry = workspace.packages[key];
    if (!entry) throw new Error(`${name} is not in the workspace lockfile`);
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry;
    packages[key] = kept;
    wanted.push(...Object.keys(entry.dependencies ?? {}));
  }
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}
