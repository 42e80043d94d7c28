export interface SourcesStamp {
  newestMtimeMs: number;
  /** sha256 of the files' sorted relative paths. */
  files: string;
}
export function sourcesStamp(dir: string): SourcesStamp;
export function writeStamp(srcDir: string, outDir: string, before: SourcesStamp): boolean;
export function buildIsCurrent(srcDir: string, outDir: string): boolean;
