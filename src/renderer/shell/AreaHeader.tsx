import type { ReactNode } from 'react';
import type { Area } from '../../shared/contract';
import { areaInfo } from '../app/areas';
import { AREA_ICONS } from './icons';

export const headingId = (area: Area): string => `heading-${area}`;

export function AreaHeader({ area, subtitle, actions }: { area: Area; subtitle: string; actions?: ReactNode }) {
  const Icon = AREA_ICONS[area];
  return (
    <header className="area-header">
      <div className="area-header-icon" aria-hidden="true">
        <Icon size={22} />
      </div>
      <div className="area-header-text">
        <h1 id={headingId(area)}>{areaInfo(area).label}</h1>
        <p>{subtitle}</p>
      </div>
      {actions ? <div className="area-header-actions">{actions}</div> : null}
    </header>
  );
}
