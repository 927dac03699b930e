import { AreaHeader } from '../shell/AreaHeader';
import { ComingSoonButton, EmptyState } from '../shell/EmptyState';
import { PlusIcon, StudioIcon } from '../shell/icons';

export function StudioArea() {
  return (
    <>
      <AreaHeader
        area="studio"
        subtitle="Arrange, record and mix multitrack projects."
        actions={
          <ComingSoonButton primary>
            <PlusIcon size={16} />
            New project
          </ComingSoonButton>
        }
      />
      <div className="area-body">
        <EmptyState icon={<StudioIcon size={40} />} title="No projects yet" testId="empty-studio">
          <p>Projects you create or open will be listed here, most recent first.</p>
        </EmptyState>
      </div>
    </>
  );
}
