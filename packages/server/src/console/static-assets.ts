import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const hashOf = (body: Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 16);

export function asset(body: Buffer, path: string): Asset {
  return { body, type: TYPES[extname(path)] ?? 'application/octet-stream', etag: `"${hashOf(body)}"` };
}

/** Every file under `dir`, by its path relative to it, read once at start: no disk on a request. */
export function loadAssetDir(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    assets.set(relative(dir, path).split('\\').join('/'), asset(readFileSync(path), path));
  }
  return assets;
}

/** The browser modules the console imports by bare name, as installed by `npm install`. */
const VENDOR_MODULES = ['preact', 'preact/hooks', 'htm'] as const;

/**
 * The vendor modules, served under names that carry their content hash (so they are cached for
 * good), and the import map that lets the console's modules import them by bare name.
 */
export function loadVendorModules(prefix: string): {
  files: Map<string, Asset>;
  importMap: { imports: Record<string, string> };
} {
  const files = new Map<string, Asset>();
  const imports: Record<string, string> = {};
  for (const name of VENDOR_MODULES) {
    const path = fileURLToPath(import.meta.resolve(name));
    const body = readFileSync(path);
    const file = `${name.replace('/', '-')}.${hashOf(body)}.mjs`;
    // The source map comments point at files we do not serve.
    const stripped = Buffer.from(body.toString('utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
    files.set(file, asset(stripped, path));
    imports[name] = `${prefix}${file}`;
  }
  return { files, importMap: { imports } };
}
