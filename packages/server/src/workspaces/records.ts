/** A workspace as the rest of the server sees it (times in ms since the epoch). */

export interface WorkspaceRecord {
  id: string;
  name: string;
  createdAt: number;
}
