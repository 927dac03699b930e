import type { ReactNode } from 'react';

function Icon({ size = 16, children, filled = false }: { size?: number; children: ReactNode; filled?: boolean }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill={filled ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth={filled ? 0 : 1.9}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const PlayIcon = ({ size }: { size?: number }) => (
  <Icon size={size} filled>
    <path d="M7 4.5v15a1 1 0 0 0 1.5.86l12-7.5a1 1 0 0 0 0-1.72l-12-7.5A1 1 0 0 0 7 4.5Z" />
  </Icon>
);
export const PauseIcon = ({ size }: { size?: number }) => (
  <Icon size={size} filled>
    <rect x="5.5" y="4" width="4.5" height="16" rx="1" />
    <rect x="14" y="4" width="4.5" height="16" rx="1" />
  </Icon>
);
export const NextIcon = ({ size }: { size?: number }) => (
  <Icon size={size} filled>
    <path d="M4 5.2v13.6a.8.8 0 0 0 1.2.7L16 12.7a.8.8 0 0 0 0-1.4L5.2 4.5a.8.8 0 0 0-1.2.7Z" />
    <rect x="17" y="4.5" width="3" height="15" rx="0.8" />
  </Icon>
);
export const PreviousIcon = ({ size }: { size?: number }) => (
  <Icon size={size} filled>
    <path d="M20 5.2v13.6a.8.8 0 0 1-1.2.7L8 12.7a.8.8 0 0 1 0-1.4l10.8-6.8a.8.8 0 0 1 1.2.7Z" />
    <rect x="4" y="4.5" width="3" height="15" rx="0.8" />
  </Icon>
);
export const ShuffleIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M3 7h3.5a4 4 0 0 1 3.3 1.7l4.4 6.6A4 4 0 0 0 17.5 17H21M18 14l3 3-3 3M3 17h3.5a4 4 0 0 0 3.3-1.7l.7-1M14.2 8.7l.3-.4A4 4 0 0 1 17.5 7H21M18 4l3 3-3 3" />
  </Icon>
);
export const RepeatIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M4 11V9a3 3 0 0 1 3-3h13M17 3l3 3-3 3M20 13v2a3 3 0 0 1-3 3H4M7 21l-3-3 3-3" />
  </Icon>
);
export const SearchIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <circle cx="11" cy="11" r="6.5" />
    <path d="m20 20-4.2-4.2" />
  </Icon>
);
export const PlusIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M12 5v14M5 12h14" />
  </Icon>
);
export const ListIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M9 6h11M9 12h11M9 18h11M4.5 6h.01M4.5 12h.01M4.5 18h.01" />
  </Icon>
);
export const CrateIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M4 8h16v11a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V8ZM3 4h18v4H3zM10 12h4" />
  </Icon>
);
export const SmartIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M12 3l2.2 5.3L20 9l-4.4 3.8L17 19l-5-3-5 3 1.4-6.2L4 9l5.8-.7L12 3Z" />
  </Icon>
);
export const MusicIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M9 18V5l11-2v13" />
    <circle cx="6" cy="18" r="3" />
    <circle cx="17" cy="16" r="3" />
  </Icon>
);
export const FolderIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7Z" />
  </Icon>
);
export const VolumeIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M4 9h4l5-4v14l-5-4H4V9ZM16.5 8.5a5 5 0 0 1 0 7M19 6a8.5 8.5 0 0 1 0 12" />
  </Icon>
);
