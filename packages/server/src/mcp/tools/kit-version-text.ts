import type { kitVersionView } from '../../kits/kit-views.ts';

/** The few lines that say what a Kit version is and what to do next. */
export function kitVersionText(version: ReturnType<typeof kitVersionView>, what: string): string {
  const bricks = version.bricks.map((b) => `${b.key} v${b.version}`).join(', ');
  const next =
    version.status === 'draft'
      ? ` Run it with create_run (kit "${version.kit_version_id}"); publish it with publish_kit_version.`
      : '';
  return `${what} Kit ${version.kit_code} version ${version.version} (${version.status}, kit_version_id ${version.kit_version_id}) with Bricks ${bricks}.${next}`;
}
