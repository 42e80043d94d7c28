export interface SourcesStamp {
  newestMtimeMs: number;
  files: number;
}
export function sourcesStamp(dir: string): SourcesStamp;
export function writeStamp(srcDir: string, outDir: string): void;
export function buildIsCurrent(srcDir: string, outDir: string): boolean;
