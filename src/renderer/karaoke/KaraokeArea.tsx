import { AreaHeader } from '../shell/AreaHeader';
import { ComingSoonButton, EmptyState } from '../shell/EmptyState';
import { FolderIcon, KaraokeIcon } from '../shell/icons';

export function KaraokeArea() {
  return (
    <>
      <AreaHeader area="karaoke" subtitle="Sing along with scored, pitch-tracked songs." />
      <div className="area-body">
        <EmptyState
          icon={<KaraokeIcon size={40} />}
          title="No songs yet"
          testId="empty-karaoke"
          actions={
            <ComingSoonButton primary>
              <FolderIcon size={16} />
              Import folder…
            </ComingSoonButton>
          }
        >
          <p>Import a folder of UltraStar songs.</p>
        </EmptyState>
      </div>
    </>
  );
}
