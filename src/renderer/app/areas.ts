import { AREAS, type Area } from '../../shared/contract';

export interface AreaInfo {
  readonly id: Area;
  readonly label: string;
  /** The digit of its Ctrl/Cmd shortcut, or ',' for Settings. */
  readonly shortcutKey: string;
}

/** The areas in rail order. Settings sits apart at the bottom of the rail. */
export const AREA_INFO: readonly AreaInfo[] = [
  { id: 'broadcast', label: 'Broadcast', shortcutKey: '1' },
  { id: 'studio', label: 'Studio', shortcutKey: '2' },
  { id: 'karaoke', label: 'Karaoke', shortcutKey: '3' },
  { id: 'library', label: 'Library', shortcutKey: '4' },
  { id: 'settings', label: 'Settings', shortcutKey: ',' },
];

export function areaInfo(area: Area): AreaInfo {
  return AREA_INFO.find((info) => info.id === area) ?? AREA_INFO[0]!;
}

export function isArea(value: unknown): value is Area {
  return typeof value === 'string' && (AREAS as readonly string[]).includes(value);
}

/** `#/library` → 'library'; anything else → null. */
export function areaFromHash(hash: string): Area | null {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return isArea(name) ? name : null;
}

export function hashForArea(area: Area): string {
  return `#/${area}`;
}
